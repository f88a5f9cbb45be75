package io.meshd.dns;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.util.Arrays;
import java.util.Optional;

/** A blocking test client speaking DNS over UDP and TCP to a loopback server. */
public final class Client {

    private Client() {
    }

    /** Sends one datagram and waits up to {@code timeoutMillis} for the answer; empty on timeout. */
    public static Optional<byte[]> udp(InetSocketAddress server, byte[] query, int timeoutMillis) throws IOException {
        try (DatagramSocket socket = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0))) {
            socket.setSoTimeout(timeoutMillis);
            socket.send(new DatagramPacket(query, query.length, server));
            byte[] buf = new byte[65535];
            DatagramPacket p = new DatagramPacket(buf, buf.length);
            try {
                socket.receive(p);
            } catch (SocketTimeoutException e) {
                return Optional.empty();
            }
            return Optional.of(Arrays.copyOf(buf, p.getLength()));
        }
    }

    /** Sends one datagram and returns the answer, failing after 3 s. */
    public static byte[] udp(InetSocketAddress server, byte[] query) throws IOException {
        return udp(server, query, 3000).orElseThrow(() -> new AssertionError("no UDP answer from " + server));
    }

    /** Sends every query on one TCP connection (pipelined) and reads as many answers. */
    public static byte[][] tcp(InetSocketAddress server, byte[]... queries) throws IOException {
        try (Socket s = new Socket()) {
            s.connect(server, 3000);
            s.setSoTimeout(3000);
            DataOutputStream out = new DataOutputStream(s.getOutputStream());
            for (byte[] q : queries) {
                out.writeShort(q.length);
                out.write(q);
            }
            out.flush();
            DataInputStream in = new DataInputStream(s.getInputStream());
            byte[][] answers = new byte[queries.length][];
            for (int i = 0; i < queries.length; i++) {
                answers[i] = new byte[in.readUnsignedShort()];
                in.readFully(answers[i]);
            }
            return answers;
        }
    }

    /** The RCODE of an answer. */
    public static int rcode(byte[] answer) {
        return answer[3] & 0xF;
    }

    /** The ID of a message. */
    public static int id(byte[] message) {
        return ((message[0] & 0xFF) << 8) | (message[1] & 0xFF);
    }

    /** ANCOUNT. */
    public static int answers(byte[] answer) {
        return ((answer[6] & 0xFF) << 8) | (answer[7] & 0xFF);
    }

    /** Whether TC is set. */
    public static boolean truncated(byte[] answer) {
        return (answer[2] & 0x02) != 0;
    }
}
