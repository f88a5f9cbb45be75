package io.meshd.cli;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/** A minimal stub resolver for the demo: one UDP query, the answer's RCODE and addresses. */
final class DnsProbe {

    /** What came back: the response code name and the A/AAAA addresses. */
    record Answer(String rcode, List<String> addresses) {
    }

    private static final String[] RCODES = {"NOERROR", "FORMERR", "SERVFAIL", "NXDOMAIN", "NOTIMP", "REFUSED"};

    private DnsProbe() {
    }

    static Answer ask(InetSocketAddress server, String name, int type) throws IOException {
        int id = ThreadLocalRandom.current().nextInt(0x10000);
        ByteArrayOutputStream q = new ByteArrayOutputStream();
        q.writeBytes(new byte[] {(byte) (id >> 8), (byte) id, 1, 0, 0, 1, 0, 0, 0, 0, 0, 0});
        for (String label : name.split("\\.")) {
            q.write(label.length());
            q.writeBytes(label.getBytes(StandardCharsets.US_ASCII));
        }
        q.writeBytes(new byte[] {0, 0, (byte) type, 0, 1});
        byte[] query = q.toByteArray();
        try (DatagramSocket socket = new DatagramSocket(new InetSocketAddress(server.getAddress(), 0))) {
            socket.setSoTimeout(2000);
            socket.send(new DatagramPacket(query, query.length, server));
            byte[] buf = new byte[4096];
            DatagramPacket p = new DatagramPacket(buf, buf.length);
            socket.receive(p);
            return parse(Arrays.copyOf(buf, p.getLength()), query.length);
        }
    }

    private static Answer parse(byte[] m, int questionEnd) throws IOException {
        int rcode = m[3] & 0xF;
        int count = ((m[6] & 0xFF) << 8) | (m[7] & 0xFF);
        List<String> addresses = new ArrayList<>();
        int pos = questionEnd;
        for (int i = 0; i < count; i++) {
            while ((m[pos] & 0xC0) != 0xC0 && m[pos] != 0) {
                pos += (m[pos] & 0xFF) + 1;
            }
            pos += (m[pos] & 0xC0) == 0xC0 ? 2 : 1;
            int type = ((m[pos] & 0xFF) << 8) | (m[pos + 1] & 0xFF);
            int length = ((m[pos + 8] & 0xFF) << 8) | (m[pos + 9] & 0xFF);
            if (type == 1 || type == 28) {
                addresses.add(InetAddress.getByAddress(Arrays.copyOfRange(m, pos + 10, pos + 10 + length))
                    .getHostAddress());
            }
            pos += 10 + length;
        }
        return new Answer(rcode < RCODES.length ? RCODES[rcode] : "RCODE" + rcode, addresses);
    }
}
