package io.meshd.lb;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import com.code_intelligence.jazzer.mutation.annotation.NotNull;
import io.meshd.packet.Checksums;
import io.meshd.packet.IcmpView;
import io.meshd.packet.Ipv4View;
import java.util.List;
import org.agrona.concurrent.UnsafeBuffer;

class VipNatFuzzTest {
    private static final ServiceTable SERVICES = ServiceTable.withTableSize(MaglevTable.DEFAULT_SIZE);

    static {
        SERVICES.put(ServiceKey.parse("10.0.9.100:80/tcp"),
            List.of(ServiceBackend.parse("10.0.9.5:8080"), ServiceBackend.parse("10.0.9.6:8080=2")));
        SERVICES.put(ServiceKey.parse("10.0.9.100:53/udp"), List.of(ServiceBackend.parse("10.0.9.8:5353")));
        SERVICES.put(ServiceKey.parse("10.0.9.101:80/tcp"), List.of(ServiceBackend.parse("10.0.9.5:8080")));
    }

    /**
     * Any bytes as an IPv4 packet, in both directions: nothing escapes, nothing is written outside the packet, and
     * a translated packet keeps a valid IPv4 header checksum and its length.
     */
    @FuzzTest
    void shouldTranslateOrLeaveAnyPacketWithoutBreakingIt(byte @NotNull [] packet) {
        byte[] padded = new byte[packet.length + 16];
        System.arraycopy(packet, 0, padded, 8, packet.length);
        UnsafeBuffer buffer = new UnsafeBuffer(padded);
        VipNat nat = new VipNat(SERVICES, FlowPinTable.create(64, 1_000_000_000L, 1_000_000_000L), () -> 0L);
        for (boolean towardsBackend : new boolean[] {true, false}) {
            NatVerdict verdict = towardsBackend ? nat.toBackend(buffer, 8, packet.length)
                : nat.toClient(buffer, 8, packet.length);
            for (int i = 0; i < 8; i++) {
                assertEquals(0, padded[i], "nothing written before the packet");
                assertEquals(0, padded[padded.length - 1 - i], "nothing written after the packet");
            }
            if (verdict == NatVerdict.TRANSLATED) {
                Ipv4View ip = new Ipv4View().wrap(buffer, 8, packet.length);
                assertTrue(ip.isWellFormed());
                int header = Checksums.checksum(buffer, 8, ip.headerLength());
                assertTrue(header == 0 || header == 0xFFFF || !wasValid(packet), "header checksum stays valid");
                if (ip.protocol() == Ipv4View.PROTOCOL_ICMP) {
                    assertTrue(new IcmpView().wrap(buffer, ip.payloadOffset(), ip.payloadLength())
                        .hasValidChecksum(), "a translated ICMP error carries a checksum redone over its new quote");
                }
            }
        }
    }

    private static boolean wasValid(byte[] packet) {
        UnsafeBuffer original = new UnsafeBuffer(packet);
        Ipv4View ip = new Ipv4View();
        return ip.tryWrap(original, 0, packet.length) && ip.isWellFormed() && ip.hasValidChecksum();
    }
}
