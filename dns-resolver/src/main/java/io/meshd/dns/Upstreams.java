package io.meshd.dns;

import io.meshd.net.SocketAddresses;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/** Finds the resolvers to forward to: the host's {@code resolv.conf} nameservers, minus our own addresses. */
public final class Upstreams {

    /** Docker's embedded-resolver address, never an upstream of ours. */
    public static final String EMBEDDED_ADDRESS = "127.0.0.11";

    private Upstreams() {
    }

    /**
     * The {@code nameserver} lines of a resolv.conf file, port 53, excluding {@code 127.0.0.11} and every address in
     * {@code ownAddresses} (we must not forward to ourselves). A missing file gives an empty list.
     */
    public static List<InetSocketAddress> fromResolvConf(Path file, Collection<InetSocketAddress> ownAddresses)
        throws IOException {
        List<InetSocketAddress> result = new ArrayList<>();
        if (!Files.exists(file)) {
            return result;
        }
        for (String line : Files.readAllLines(file)) {
            String[] fields = line.trim().split("\\s+");
            if (fields.length < 2 || !fields[0].equals("nameserver")) {
                continue;
            }
            String host = fields[1];
            int zone = host.indexOf('%');
            if (zone >= 0) {
                host = host.substring(0, zone);
            }
            InetAddress address;
            try {
                address = SocketAddresses.address(host);
            } catch (IllegalArgumentException notALiteral) {
                continue;
            }
            if (address.getHostAddress().equals(EMBEDDED_ADDRESS) || isOwn(address, ownAddresses)) {
                continue;
            }
            result.add(new InetSocketAddress(address, 53));
        }
        return result;
    }

    private static boolean isOwn(InetAddress address, Collection<InetSocketAddress> own) {
        for (InetSocketAddress a : own) {
            if (a.getPort() == 53 && a.getAddress().equals(address)) {
                return true;
            }
        }
        return false;
    }
}
