package io.meshd.cli;

import io.meshd.dns.Rcode;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.channel.socket.DatagramPacket;
import io.netty.handler.codec.dns.DatagramDnsQuery;
import io.netty.handler.codec.dns.DatagramDnsQueryEncoder;
import io.netty.handler.codec.dns.DatagramDnsResponseDecoder;
import io.netty.handler.codec.dns.DefaultDnsQuestion;
import io.netty.handler.codec.dns.DnsRawRecord;
import io.netty.handler.codec.dns.DnsRecord;
import io.netty.handler.codec.dns.DnsRecordType;
import io.netty.handler.codec.dns.DnsResponse;
import io.netty.handler.codec.dns.DnsSection;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A minimal stub resolver for the demo: one UDP query, the answer's RCODE and addresses. The messages are encoded and
 * decoded by Netty's DNS codec; this class only carries the bytes.
 */
final class DnsProbe {

    /** What came back: the response code name and the A/AAAA addresses. */
    record Answer(String rcode, List<String> addresses) {
    }

    private static final int TIMEOUT_MILLIS = 2000;
    private static final int MAX_ANSWER = 4096;

    private DnsProbe() {
    }

    static Answer ask(InetSocketAddress server, String name, int type) throws IOException {
        InetSocketAddress local = new InetSocketAddress(server.getAddress(), 0);
        try (java.net.DatagramSocket socket = new java.net.DatagramSocket(local)) {
            socket.setSoTimeout(TIMEOUT_MILLIS);
            byte[] query = encode(name, type, (InetSocketAddress) socket.getLocalSocketAddress(), server);
            socket.send(new java.net.DatagramPacket(query, query.length, server));
            byte[] buf = new byte[MAX_ANSWER];
            java.net.DatagramPacket p = new java.net.DatagramPacket(buf, buf.length);
            socket.receive(p);
            return decode(Arrays.copyOf(buf, p.getLength()), server);
        }
    }

    /** The query's bytes, as Netty's encoder writes them (RD set, one question of class IN). */
    static byte[] encode(String name, int type, InetSocketAddress from, InetSocketAddress to) {
        DatagramDnsQuery query = new DatagramDnsQuery(from, to, ThreadLocalRandom.current().nextInt(0x10000))
            .setRecursionDesired(true)
            .setRecord(DnsSection.QUESTION, new DefaultDnsQuestion(name, DnsRecordType.valueOf(type)));
        EmbeddedChannel ch = new EmbeddedChannel(new DatagramDnsQueryEncoder());
        try {
            ch.writeOutbound(query);
            DatagramPacket packet = ch.readOutbound();
            try {
                return ByteBufUtil.getBytes(packet.content());
            } finally {
                packet.release();
            }
        } finally {
            ch.finishAndReleaseAll();
        }
    }

    /** The RCODE and the A/AAAA addresses of an answer, as Netty's decoder reads them. */
    static Answer decode(byte[] message, InetSocketAddress server) throws IOException {
        EmbeddedChannel ch = new EmbeddedChannel(new DatagramDnsResponseDecoder());
        try {
            ch.writeInbound(new DatagramPacket(Unpooled.wrappedBuffer(message), server, server));
            DnsResponse response = ch.readInbound();
            try {
                return new Answer(rcodeName(response.code().intValue()), addresses(response));
            } finally {
                response.release();
            }
        } catch (RuntimeException e) {
            throw new IOException("malformed answer from " + server + ": " + e.getMessage(), e);
        } finally {
            ch.finishAndReleaseAll();
        }
    }

    private static String rcodeName(int value) {
        for (Rcode r : Rcode.values()) {
            if (r.value() == value) {
                return r.name();
            }
        }
        return "RCODE" + value;
    }

    private static List<String> addresses(DnsResponse response) throws IOException {
        List<String> addresses = new ArrayList<>();
        for (int i = 0; i < response.count(DnsSection.ANSWER); i++) {
            DnsRecord r = response.recordAt(DnsSection.ANSWER, i);
            boolean address = r.type() == DnsRecordType.A || r.type() == DnsRecordType.AAAA;
            if (address && r instanceof DnsRawRecord) {
                ByteBuf rdata = ((DnsRawRecord) r).content();
                addresses.add(InetAddress.getByAddress(ByteBufUtil.getBytes(rdata)).getHostAddress());
            }
        }
        return addresses;
    }
}
