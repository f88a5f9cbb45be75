package io.meshd.lb;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import io.meshd.packet.EthernetView;
import io.meshd.packet.FlowHash;
import io.meshd.packet.Ipv4;
import io.meshd.packet.Ipv4View;
import io.meshd.packet.UdpView;
import io.meshd.packet.testing.TestFrames;
import java.util.List;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

class VipNatTest {
    private static final int IP = EthernetView.HEADER_LENGTH;
    private static final int CLIENT = Ipv4.parse("10.0.9.2");
    private static final int VIP = Ipv4.parse("10.0.9.100");
    private static final long MAC_A = 0x0242_0A00_0902L;
    private static final long MAC_B = 0x0242_0A00_0964L;
    private static final List<ServiceBackend> BACKENDS = List.of(ServiceBackend.parse("10.0.9.5:8080"),
        ServiceBackend.parse("10.0.9.6:8080"), ServiceBackend.parse("10.0.9.7:8080"));

    /** The injected clock every translator of a test reads, nanoseconds. */
    private long now = 1_000_000_000L;

    private VipNat nat(ServiceTable table) {
        return new VipNat(table, FlowPinTable.withDefaults(), () -> now);
    }

    private static ServiceTable table(List<ServiceBackend> backends) {
        ServiceTable table = ServiceTable.withTableSize(MaglevTable.DEFAULT_SIZE);
        table.put(ServiceKey.parse("10.0.9.100:80/tcp"), backends);
        table.put(ServiceKey.parse("10.0.9.100:53/udp"), List.of(ServiceBackend.parse("10.0.9.8:5353")));
        return table;
    }

    /** A TCP segment with valid checksums, built field by field. */
    static UnsafeBuffer tcp(int source, int destination, int sourcePort, int destinationPort, int payload) {
        return TestFrames.tcp(MAC_B, MAC_A, source, destination, sourcePort, destinationPort, 0x02, payload);
    }

    private static byte[] bytes(UnsafeBuffer frame) {
        byte[] copy = new byte[frame.capacity()];
        frame.getBytes(0, copy);
        return copy;
    }

    private static int expectedBackend(ServiceTable table, int clientPort) {
        Service web = table.serviceOrNull(VIP, 80, 6);
        return web.backendIp(web.pick(FlowHash.hashIpv4(VipNat.FLOW_SEED, CLIENT, VIP, clientPort, 80, 6)));
    }

    @Test
    void shouldSendAFlowToMaglevsBackendKeepingTheClientAndValidChecksums() {
        ServiceTable table = table(BACKENDS);
        UnsafeBuffer syn = tcp(CLIENT, VIP, 40_000, 80, 10);
        int backend = expectedBackend(table, 40_000);

        assertEquals(NatVerdict.TRANSLATED, nat(table).toBackend(syn, IP, syn.capacity() - IP));

        assertArrayEquals(bytes(tcp(CLIENT, backend, 40_000, 8080, 10)), bytes(syn),
            "exactly the segment the client would have sent to the backend, checksums included");
    }

    @Test
    void shouldTranslateTheBackendsReplyBackToTheVip() {
        ServiceTable table = table(BACKENDS);
        int backend = expectedBackend(table, 40_001);
        UnsafeBuffer reply = tcp(backend, CLIENT, 8080, 40_001, 0);
        VipNat nat = nat(table);

        assertEquals(NatVerdict.TRANSLATED, nat.toClient(reply, IP, reply.capacity() - IP));

        assertEquals(VIP, nat.lastAddress());
        assertArrayEquals(bytes(tcp(VIP, CLIENT, 80, 40_001, 0)), bytes(reply));
    }

    @Test
    void shouldLeaveARepliesFromABackendTheTableDoesNotPickForThatFlow() {
        ServiceTable table = table(BACKENDS);
        int picked = expectedBackend(table, 40_002);
        int other = BACKENDS.stream().mapToInt(ServiceBackend::ip).filter(ip -> ip != picked).findFirst().getAsInt();
        UnsafeBuffer reply = tcp(other, CLIENT, 8080, 40_002, 0);
        byte[] before = bytes(reply);

        assertEquals(NatVerdict.PASS, nat(table).toClient(reply, IP, reply.capacity() - IP));
        assertArrayEquals(before, bytes(reply));
    }

    @Test
    void shouldLeaveRepliesOfAConnectionMadeStraightToTheBackendsAddress() {
        ServiceTable table = table(BACKENDS);
        int backend = expectedBackend(table, 40_003);
        VipNat nat = nat(table);
        UnsafeBuffer direct = tcp(CLIENT, backend, 40_003, 8080, 0);
        byte[] sent = bytes(direct);

        assertEquals(NatVerdict.PASS, nat.toBackend(direct, IP, direct.capacity() - IP));
        assertArrayEquals(sent, bytes(direct), "a packet to a backend's own address is not rewritten");
        // Maglev picks this backend for 40_003 → VIP:80, so only the direct flow's pin tells the reply apart.
        UnsafeBuffer reply = tcp(backend, CLIENT, 8080, 40_003, 0);
        byte[] before = bytes(reply);
        assertEquals(NatVerdict.PASS, nat.toClient(reply, IP, reply.capacity() - IP));
        assertArrayEquals(before, bytes(reply));

        UnsafeBuffer viaVip = tcp(CLIENT, VIP, 40_004, 80, 0);
        assertEquals(NatVerdict.TRANSLATED, nat.toBackend(viaVip, IP, viaVip.capacity() - IP));
        UnsafeBuffer vipReply = tcp(expectedBackend(table, 40_004), CLIENT, 8080, 40_004, 0);
        assertEquals(NatVerdict.TRANSLATED, nat.toClient(vipReply, IP, vipReply.capacity() - IP),
            "a VIP flow from the same client is still translated back");
    }

    @Test
    void shouldChooseTheSameBackendOnEveryNode() {
        VipNat nodeA = nat(table(BACKENDS));
        VipNat nodeB = nat(table(List.of(BACKENDS.get(2), BACKENDS.get(0), BACKENDS.get(1))));
        int seen = 0;
        for (int port = 30_000; port < 30_300; port++) {
            UnsafeBuffer a = tcp(CLIENT, VIP, port, 80, 0);
            UnsafeBuffer b = tcp(CLIENT, VIP, port, 80, 0);
            nodeA.toBackend(a, IP, a.capacity() - IP);
            nodeB.toBackend(b, IP, b.capacity() - IP);
            assertArrayEquals(bytes(a), bytes(b), "client port " + port);
            seen |= 1 << (nodeA.lastAddress() & 0xFF) - 5;
        }
        assertEquals(0b111, seen, "300 flows reach all three backends");
    }

    @Test
    void shouldTranslateUdpAndKeepAZeroChecksumZero() {
        ServiceTable table = table(BACKENDS);
        UnsafeBuffer query = TestFrames.udp(MAC_B, MAC_A, CLIENT, VIP, 41_000, 53, 20);
        UnsafeBuffer unchecked = TestFrames.udp(MAC_B, MAC_A, CLIENT, VIP, 41_001, 53, 20);
        new UdpView().wrap(unchecked, IP + 20, unchecked.capacity() - IP - 20).checksum(0);
        VipNat nat = nat(table);

        assertEquals(NatVerdict.TRANSLATED, nat.toBackend(query, IP, query.capacity() - IP));
        assertEquals(NatVerdict.TRANSLATED, nat.toBackend(unchecked, IP, unchecked.capacity() - IP));

        assertArrayEquals(bytes(TestFrames.udp(MAC_B, MAC_A, CLIENT, Ipv4.parse("10.0.9.8"), 41_000, 5353, 20)),
            bytes(query));
        assertEquals(0, new UdpView().wrap(unchecked, IP + 20, unchecked.capacity() - IP - 20).checksum());
    }

    @Test
    void shouldSayWhenAVipHasNoServiceOrNoBackend() {
        ServiceTable table = table(BACKENDS);
        UnsafeBuffer wrongPort = tcp(CLIENT, VIP, 40_000, 443, 0);
        UnsafeBuffer notVip = tcp(CLIENT, Ipv4.parse("10.0.9.5"), 40_000, 80, 0);
        VipNat nat = nat(table);

        assertEquals(NatVerdict.NO_SERVICE, nat.toBackend(wrongPort, IP, wrongPort.capacity() - IP));
        assertEquals(NatVerdict.PASS, nat.toBackend(notVip, IP, notVip.capacity() - IP));
        for (ServiceBackend b : BACKENDS) {
            table.update(ServiceKey.parse("10.0.9.100:80/tcp"), b.id(), x -> x.withHealthy(false));
        }
        UnsafeBuffer syn = tcp(CLIENT, VIP, 40_000, 80, 0);
        assertEquals(NatVerdict.NO_BACKEND, nat.toBackend(syn, IP, syn.capacity() - IP));
    }

    @Test
    void shouldRefuseToTranslateAFragmentToAVip() {
        UnsafeBuffer fragment = tcp(CLIENT, VIP, 40_000, 80, 0);
        Ipv4View ip = new Ipv4View().wrap(fragment, IP, fragment.capacity() - IP);
        fragment.putShort(IP + Ipv4View.FRAGMENT_OFFSET, (short) 0x2000, java.nio.ByteOrder.BIG_ENDIAN);
        ip.updateChecksum();

        assertEquals(NatVerdict.MALFORMED, nat(table(BACKENDS)).toBackend(fragment, IP,
            fragment.capacity() - IP));
        assertNotEquals(0, ip.checksum());
    }
}
