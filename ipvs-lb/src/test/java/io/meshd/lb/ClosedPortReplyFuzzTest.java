package io.meshd.lb;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import com.code_intelligence.jazzer.mutation.annotation.NotNull;
import io.meshd.packet.Ipv4View;
import org.agrona.concurrent.UnsafeBuffer;

class ClosedPortReplyFuzzTest {

    /**
     * Any bytes as the packet that found a port closed: no answer, or one well-formed IPv4 packet within 576 bytes
     * whose header checksum verifies, addressed back to the sender, written only inside its own length.
     */
    @FuzzTest
    void shouldAnswerAnyPacketWithNothingOrOneValidReply(byte @NotNull [] packet) {
        byte[] out = new byte[ClosedPortReply.MAX_LENGTH + 8];
        UnsafeBuffer reply = new UnsafeBuffer(out);
        int length = new ClosedPortReply().write(new UnsafeBuffer(packet), 0, packet.length, reply, 0);

        assertTrue(length >= 0 && length <= ClosedPortReply.MAX_LENGTH, "length " + length);
        for (int i = Math.max(length, 0); i < out.length; i++) {
            assertEquals(0, out[i], "nothing written past the reply");
        }
        if (length > 0) {
            Ipv4View ip = new Ipv4View().wrap(reply, 0, length);
            assertTrue(ip.isWellFormed() && ip.hasValidChecksum());
            assertEquals(length, ip.totalLength());
            Ipv4View original = new Ipv4View().wrap(new UnsafeBuffer(packet), 0, packet.length);
            assertEquals(original.source(), ip.destination(), "back to the sender");
        }
    }
}
