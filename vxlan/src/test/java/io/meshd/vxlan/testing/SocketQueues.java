package io.meshd.vxlan.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/** What the kernel holds in a UDP socket's receive queue, from {@code /proc/net/udp} and {@code /proc/net/udp6}. */
public final class SocketQueues {
    private static final List<Path> TABLES = List.of(Path.of("/proc/net/udp"), Path.of("/proc/net/udp6"));

    private SocketQueues() {
    }

    /**
     * The bytes queued for reading (the kernel's accounting, at least the datagrams' lengths) in every UDP socket of
     * this network namespace bound to a local port.
     *
     * @param port the local port
     * @return the sum of their {@code rx_queue}
     */
    public static long receiveQueueBytes(int port) {
        String local = String.format(Locale.ROOT, ":%04X", port);
        long bytes = 0;
        for (Path table : TABLES) {
            if (!Files.exists(table)) {
                continue;
            }
            try {
                for (String line : Files.readAllLines(table)) {
                    String[] fields = line.trim().split("\\s+");
                    // sl local_address rem_address st tx_queue:rx_queue ...
                    if (fields.length > 4 && fields[1].endsWith(local)) {
                        bytes += Long.parseLong(fields[4].substring(fields[4].indexOf(':') + 1), 16);
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return bytes;
    }
}
