package io.meshd.lb.proxy;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;

/**
 * Loopback backends for proxy tests. A TCP backend sends its name and a newline, then echoes until the client's
 * EOF, then closes; it records the first bytes of each connection (a PROXY header, when one is sent). A UDP backend
 * answers each datagram with its name, a colon and the datagram.
 */
final class TestBackends implements java.io.Closeable {
    private final List<java.io.Closeable> open = new ArrayList<>();
    final BlockingQueue<byte[]> firstBytes = new LinkedBlockingQueue<>();

    private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();

    InetSocketAddress tcp(String name, int port) throws IOException {
        ServerSocket server = new ServerSocket();
        server.setReuseAddress(true);
        server.bind(new InetSocketAddress(LOOPBACK, port));
        open.add(server);
        Thread acceptor = new Thread(() -> {
            while (!server.isClosed()) {
                try {
                    Socket s = server.accept();
                    Thread t = new Thread(() -> serve(name, s), "backend-" + name);
                    t.setDaemon(true);
                    t.start();
                } catch (IOException closed) {
                    return;
                }
            }
        }, "acceptor-" + name);
        acceptor.setDaemon(true);
        acceptor.start();
        return (InetSocketAddress) server.getLocalSocketAddress();
    }

    private void serve(String name, Socket s) {
        try (s; InputStream in = s.getInputStream(); OutputStream out = s.getOutputStream()) {
            out.write((name + "\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            byte[] buffer = new byte[8192];
            int n = in.read(buffer);
            if (n > 0) {
                byte[] first = new byte[n];
                System.arraycopy(buffer, 0, first, 0, n);
                firstBytes.add(first);
            }
            while (n >= 0) {
                out.write(buffer, 0, n);
                n = in.read(buffer);
            }
        } catch (IOException e) {
            // The client went away: nothing to serve.
        }
    }

    InetSocketAddress udp(String name) throws IOException {
        DatagramSocket socket = new DatagramSocket(new InetSocketAddress(LOOPBACK, 0));
        open.add(socket);
        Thread t = new Thread(() -> {
            byte[] buffer = new byte[2048];
            while (!socket.isClosed()) {
                try {
                    DatagramPacket p = new DatagramPacket(buffer, buffer.length);
                    socket.receive(p);
                    byte[] reply = (name + ":" + new String(p.getData(), 0, p.getLength(), StandardCharsets.US_ASCII))
                        .getBytes(StandardCharsets.US_ASCII);
                    socket.send(new DatagramPacket(reply, reply.length, p.getSocketAddress()));
                } catch (IOException closed) {
                    return;
                }
            }
        }, "udp-backend-" + name);
        t.setDaemon(true);
        t.start();
        return (InetSocketAddress) socket.getLocalSocketAddress();
    }

    /** A loopback port nothing listens on (bound, then released). */
    static int closedPort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, LOOPBACK)) {
            return s.getLocalPort();
        }
    }

    @Override
    public void close() throws IOException {
        for (java.io.Closeable c : open) {
            c.close();
        }
    }
}
