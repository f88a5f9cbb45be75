package io.meshd.lb;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import com.code_intelligence.jazzer.mutation.annotation.NotNull;
import io.meshd.net.metrics.EnumCounters;
import io.meshd.packet.Checksums;
import io.meshd.packet.EthernetView;
import io.meshd.packet.Ipv4View;
import io.meshd.packet.MacAddress;
import java.util.List;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

/** The VIP NAT as the switch's frame hook runs it: any IPv4 packet, in an Ethernet frame to a VIP's MAC. */
class VipFrameNatFuzzTest {
    private static final int GUARD = 8;
    private static final int VNI = 42;
    private static final long CLIENT_MAC = 0x0242_0A00_0902L;
    private static final long BACKEND_MAC = 0x0242_0A00_0905L;
    private static final ServiceTable SERVICES = ServiceTable.withTableSize(MaglevTable.DEFAULT_SIZE);

    static {
        SERVICES.put(ServiceKey.parse("10.0.9.100:80/tcp"),
            List.of(ServiceBackend.parse("10.0.9.5:8080"), ServiceBackend.parse("10.0.9.6:8080=2")));
        SERVICES.put(ServiceKey.parse("10.0.9.100:53/udp"), List.of(ServiceBackend.parse("10.0.9.8:5353")));
        SERVICES.put(ServiceKey.parse("10.0.9.101:80/tcp"), List.of(ServiceBackend.parse("10.0.9.5:8080=0")));
    }

    /** Only 10.0.9.5 has a known MAC, so both the translated and the no-neighbor outcomes are reachable. */
    private static long macOf(int vni, int ip) {
        return vni == VNI && ip == 0x0A00_0905 ? BACKEND_MAC : MacResolver.UNKNOWN;
    }

    /**
     * From a client: nothing escapes, nothing is written outside the frame, a translated frame is addressed to the
     * backend's MAC and keeps a valid IPv4 header checksum, and an answer is a well-formed frame from the VIP's MAC
     * back to the client with valid checksums. Towards a client: nothing escapes or is written outside the frame.
     */
    @FuzzTest
    void shouldRewriteAnswerOrLeaveAnyFrame(byte @NotNull [] packet) {
        EnumCounters<LbCounter> counters = VipFrameNat.newCounters();
        VipFrameNat nat = new VipFrameNat(SERVICES, FlowPinTable.create(64, 1_000_000_000L, 1_000_000_000L),
            () -> 0L, VipFrameNatFuzzTest::macOf, counters);
        int length = EthernetView.HEADER_LENGTH + packet.length;
        UnsafeBuffer buffer = frame(packet);
        FrameAction action = nat.fromEndpoint(VNI, buffer, GUARD, length);
        assertGuardsUntouched(buffer, length);
        if (action == FrameAction.FORWARD && counters.get(LbCounter.TO_BACKEND) == 1) {
            assertEquals(BACKEND_MAC, MacAddress.read(buffer, GUARD + EthernetView.DESTINATION_OFFSET));
            Ipv4View ip = new Ipv4View().wrap(buffer, GUARD + EthernetView.HEADER_LENGTH, packet.length);
            assertTrue(!wasValid(packet) || ip.hasValidChecksum(), "header checksum stays valid");
        } else if (action == FrameAction.REPLY) {
            assertAnswer(nat.reply(), nat.replyLength());
        }
        UnsafeBuffer back = frame(packet);
        nat.towardsEndpoint(back, GUARD, length);
        assertGuardsUntouched(back, length);
    }

    private static UnsafeBuffer frame(byte[] packet) {
        UnsafeBuffer buffer = new UnsafeBuffer(new byte[GUARD + EthernetView.HEADER_LENGTH + packet.length + GUARD]);
        MacAddress.write(buffer, GUARD + EthernetView.DESTINATION_OFFSET, VipFrameNat.vipMac(0x0A00_0964));
        MacAddress.write(buffer, GUARD + EthernetView.SOURCE_OFFSET, CLIENT_MAC);
        buffer.putShort(GUARD + EthernetView.ETHER_TYPE_OFFSET, (short) EthernetView.TYPE_IPV4,
            java.nio.ByteOrder.BIG_ENDIAN);
        buffer.putBytes(GUARD + EthernetView.HEADER_LENGTH, packet);
        return buffer;
    }

    private static void assertGuardsUntouched(UnsafeBuffer buffer, int length) {
        for (int i = 0; i < GUARD; i++) {
            assertEquals(0, buffer.getByte(i), "nothing written before the frame");
            assertEquals(0, buffer.getByte(GUARD + length + i), "nothing written after the frame");
        }
    }

    private static void assertAnswer(DirectBuffer reply, int length) {
        assertTrue(length >= EthernetView.HEADER_LENGTH + Ipv4View.MIN_HEADER_LENGTH, "an answer holds IPv4");
        assertEquals(CLIENT_MAC, MacAddress.read(reply, EthernetView.DESTINATION_OFFSET), "back to the client");
        Ipv4View ip = new Ipv4View().wrap(reply, EthernetView.HEADER_LENGTH, length - EthernetView.HEADER_LENGTH);
        assertTrue(ip.isWellFormed() && ip.hasValidChecksum(), "a well-formed IPv4 header");
        assertEquals(VipFrameNat.vipMac(ip.source()), MacAddress.read(reply, EthernetView.SOURCE_OFFSET),
            "from the VIP's MAC");
        assertEquals(0, Checksums.finish(Checksums.sum(reply, ip.payloadOffset(), ip.payloadLength(),
            ip.protocol() == Ipv4View.PROTOCOL_ICMP ? 0 : Checksums.pseudoHeaderIpv4(ip.source(), ip.destination(),
                ip.protocol(), ip.payloadLength()))), "a valid transport checksum");
    }

    private static boolean wasValid(byte[] packet) {
        Ipv4View ip = new Ipv4View();
        return ip.tryWrap(new UnsafeBuffer(packet), 0, packet.length) && ip.isWellFormed() && ip.hasValidChecksum();
    }
}
