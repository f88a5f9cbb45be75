package io.meshd.lb;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.meshd.net.metrics.EnumCounters;
import io.meshd.packet.EthernetView;
import io.meshd.packet.IcmpView;
import io.meshd.packet.Ipv4;
import io.meshd.packet.Ipv4View;
import io.meshd.packet.MacAddress;
import io.meshd.packet.TcpView;
import io.meshd.packet.testing.TestFrames;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

class VipFrameNatTest {
    private static final int VNI = 42;
    private static final int IP = EthernetView.HEADER_LENGTH;
    private static final int CLIENT = Ipv4.parse("10.0.9.2");
    private static final int VIP = Ipv4.parse("10.0.9.100");
    private static final int BACKEND = Ipv4.parse("10.0.9.5");
    private static final long CLIENT_MAC = 0x0242_0A00_0902L;
    private static final long BACKEND_MAC = 0x0242_0A00_0905L;

    private final ServiceTable table = ServiceTable.withTableSize(MaglevTable.DEFAULT_SIZE);
    private final EnumCounters<LbCounter> counters = VipFrameNat.newCounters();
    private final Map<Integer, Long> neighbors = new HashMap<>(Map.of(BACKEND, BACKEND_MAC));
    private final VipFrameNat nat = new VipFrameNat(table, FlowPinTable.withDefaults(), () -> 0L,
        (vni, ip) -> vni == VNI ? neighbors.getOrDefault(ip, MacResolver.UNKNOWN) : MacResolver.UNKNOWN, counters);

    VipFrameNatTest() {
        table.put(ServiceKey.parse("10.0.9.100:80/tcp"), List.of(ServiceBackend.parse("10.0.9.5:8080")));
        table.put(ServiceKey.parse("10.0.9.100:53/udp"), List.of(ServiceBackend.parse("10.0.9.5:53=0")));
    }

    /** The client's TCP segment in a frame addressed to the VIP's MAC, as it leaves the client's namespace. */
    private static UnsafeBuffer fromClient(int port) {
        UnsafeBuffer frame = VipNatTest.tcp(CLIENT, VIP, 40_000, port, 0);
        MacAddress.write(frame, EthernetView.DESTINATION_OFFSET, VipFrameNat.vipMac(VIP));
        MacAddress.write(frame, EthernetView.SOURCE_OFFSET, CLIENT_MAC);
        return frame;
    }

    @Test
    void shouldAddressTheBackendsMacWhenTheNatChoseIt() {
        UnsafeBuffer frame = fromClient(80);

        assertEquals(FrameAction.FORWARD, nat.fromEndpoint(VNI, frame, 0, frame.capacity()));

        assertEquals(BACKEND_MAC, MacAddress.read(frame, EthernetView.DESTINATION_OFFSET));
        assertEquals(CLIENT_MAC, MacAddress.read(frame, EthernetView.SOURCE_OFFSET));
        assertEquals(BACKEND, new Ipv4View().wrap(frame, IP, frame.capacity() - IP).destination());
        assertEquals(1, counters.get(LbCounter.TO_BACKEND));
    }

    @Test
    void shouldShowTheClientTheVipsAddressesOnTheReply() {
        UnsafeBuffer reply = VipNatTest.tcp(BACKEND, CLIENT, 8080, 40_000, 0);
        MacAddress.write(reply, EthernetView.SOURCE_OFFSET, BACKEND_MAC);

        nat.towardsEndpoint(reply, 0, reply.capacity());

        assertEquals(VipFrameNat.vipMac(VIP), MacAddress.read(reply, EthernetView.SOURCE_OFFSET));
        assertEquals(VIP, new Ipv4View().wrap(reply, IP, reply.capacity() - IP).source());
        assertEquals(1, counters.get(LbCounter.TO_CLIENT));
    }

    @Test
    void shouldAnswerAClosedVipPortWithAResetFromTheVipsMac() {
        UnsafeBuffer frame = fromClient(443);

        assertEquals(FrameAction.REPLY, nat.fromEndpoint(VNI, frame, 0, frame.capacity()));

        UnsafeBuffer reply = new UnsafeBuffer(nat.reply(), 0, nat.replyLength());
        assertEquals(CLIENT_MAC, MacAddress.read(reply, EthernetView.DESTINATION_OFFSET));
        assertEquals(VipFrameNat.vipMac(VIP), MacAddress.read(reply, EthernetView.SOURCE_OFFSET));
        Ipv4View ip = new Ipv4View().wrap(reply, IP, nat.replyLength() - IP);
        assertEquals(VIP, ip.source());
        assertEquals(CLIENT, ip.destination());
        TcpView rst = new TcpView().wrap(reply, ip.payloadOffset(), ip.payloadLength());
        assertEquals(TcpView.RST | TcpView.ACK, rst.flags());
        assertEquals(1, counters.get(LbCounter.NO_SERVICE));
    }

    @Test
    void shouldAnswerAServiceWithoutBackendsWithPortUnreachable() {
        UnsafeBuffer query = TestFrames.udp(VipFrameNat.vipMac(VIP), CLIENT_MAC, CLIENT, VIP, 41_000, 53, 20);

        assertEquals(FrameAction.REPLY, nat.fromEndpoint(VNI, query, 0, query.capacity()));

        Ipv4View ip = new Ipv4View().wrap(nat.reply(), IP, nat.replyLength() - IP);
        IcmpView icmp = new IcmpView().wrap(nat.reply(), ip.payloadOffset(), ip.payloadLength());
        assertEquals(IcmpView.TYPE_DESTINATION_UNREACHABLE, icmp.type());
        assertEquals(IcmpView.CODE_PORT_UNREACHABLE, icmp.code());
        assertEquals(1, counters.get(LbCounter.NO_BACKEND));
    }

    @Test
    void shouldDropAndCountWhenTheBackendsMacIsUnknown() {
        neighbors.clear();
        UnsafeBuffer frame = fromClient(80);

        assertEquals(FrameAction.DROP, nat.fromEndpoint(VNI, frame, 0, frame.capacity()));
        assertEquals(1, counters.get(LbCounter.NO_NEIGHBOR));
    }

    @Test
    void shouldLeaveEverythingElseAlone() {
        UnsafeBuffer arp = TestFrames.arpRequest(CLIENT_MAC, CLIENT, VIP);
        UnsafeBuffer toEndpoint = VipNatTest.tcp(CLIENT, BACKEND, 40_000, 8080, 0);
        byte[] before = new byte[toEndpoint.capacity()];
        toEndpoint.getBytes(0, before);

        assertEquals(FrameAction.FORWARD, nat.fromEndpoint(VNI, arp, 0, arp.capacity()));
        assertEquals(FrameAction.FORWARD, nat.fromEndpoint(VNI, toEndpoint, 0, toEndpoint.capacity()));
        byte[] after = new byte[toEndpoint.capacity()];
        toEndpoint.getBytes(0, after);
        assertArrayEquals(before, after);
        assertEquals(0, counters.total());
    }
}
