package io.meshd.mesh;

import io.meshd.harness.LabHost;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.Channel;
import java.nio.channels.DatagramChannel;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Backends for the mesh lab tests, each inside a lab host's namespace and named after it, so a client can tell
 * which one it reached and with which source address: a TCP server first sends "NAME PEER" (the client's address
 * as the backend sees it), then answers every line with "NAME LINE"; a UDP server answers every datagram with
 * "NAME".
 */
final class NamedBackends implements AutoCloseable {
    private final List<Channel> channels = new ArrayList<>();
    private final ExecutorService serving;

    NamedBackends(String threadName) {
        serving = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, threadName);
            t.setDaemon(true);
            return t;
        });
    }

    /** A TCP server on {@code port} in {@code host}'s namespace. */
    synchronized void tcp(LabHost host, int port) {
        ServerSocketChannel server = host.netns().call(() -> ServerSocketChannel.open()
            .bind(new InetSocketAddress(port)));
        channels.add(server);
        String name = host.shortName();
        serving.execute(() -> {
            while (server.isOpen()) {
                SocketChannel c;
                try {
                    c = server.accept();
                } catch (IOException closed) {
                    return;
                }
                serving.execute(() -> answer(name, c));
            }
        });
    }

    /** A UDP server on {@code port} in {@code host}'s namespace. */
    synchronized void udp(LabHost host, int port) {
        DatagramChannel udp = host.netns().call(() -> DatagramChannel.open().bind(new InetSocketAddress(port)));
        channels.add(udp);
        byte[] name = host.shortName().getBytes(StandardCharsets.US_ASCII);
        serving.execute(() -> {
            ByteBuffer in = ByteBuffer.allocate(1500);
            while (udp.isOpen()) {
                try {
                    in.clear();
                    SocketAddress from = udp.receive(in);
                    udp.send(ByteBuffer.wrap(name), from);
                } catch (IOException closed) {
                    return;
                }
            }
        });
    }

    private static void answer(String name, SocketChannel c) {
        try (c) {
            String peer = ((InetSocketAddress) c.getRemoteAddress()).getAddress().getHostAddress();
            var out = c.socket().getOutputStream();
            out.write((name + " " + peer + "\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            StringBuilder line = new StringBuilder();
            var in = c.socket().getInputStream();
            int b;
            while ((b = in.read()) >= 0) {
                if (b == '\n') {
                    out.write((name + " " + line + "\n").getBytes(StandardCharsets.US_ASCII));
                    out.flush();
                    line.setLength(0);
                } else {
                    line.append((char) b);
                }
            }
        } catch (IOException e) {
            // the client went away
        }
    }

    @Override
    public synchronized void close() throws IOException {
        for (Channel c : channels) {
            c.close();
        }
        serving.shutdownNow();
    }
}
