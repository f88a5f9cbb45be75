package io.meshd.vxlan.fabric;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.meshd.packet.ArpView;
import io.meshd.packet.EthernetView;
import io.meshd.vxlan.codec.DropReason;
import io.meshd.vxlan.codec.VxlanCodec;
import org.agrona.concurrent.UnsafeBuffer;

import java.nio.ByteOrder;
import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Arbitrary bytes into the switch ({@link FuzzedFabric}: two networks, learning, flooding and the ARP responder
 * on), each input switched twice so the second pass sees what the first one learned. Whatever comes in: nothing
 * escapes; each frame is counted once as received and has exactly one fate (one drop, one ARP answer, one flood
 * with copies, one forwarded copy); a refused VXLAN header is dropped for the reason the decoder gives; copies go
 * only to ports and peers of the frame's own network, never back where the frame came from (the asking port gets
 * only an ARP answer, nothing from the uplink goes back to the uplink); every copy holds exactly the frame's bytes
 * and re-parses, through a VXLAN encapsulation and back for the uplink's.
 */
class SwitchFabricFuzzTest {
    private static final int PASSES = 2;

    /** The input is a UDP payload from {@link FuzzedFabric#PEER_A}: VXLAN header, then the inner frame. */
    @FuzzTest
    void fromVxlan(byte[] input) {
        FuzzedFabric fuzzed = new FuzzedFabric();
        UnsafeBuffer payload = new UnsafeBuffer(input);
        int vni = VxlanCodec.decode(payload, 0, input.length);
        byte[] inner = vni < 0 ? null : Arrays.copyOfRange(input, VxlanCodec.HEADER_LENGTH, input.length);
        for (int pass = 0; pass < PASSES; pass++) {
            FuzzedFabric.Counts before = fuzzed.begin();

            fuzzed.fabric().fromVxlan(FuzzedFabric.PEER_A, payload, 0, input.length);

            FuzzedFabric.Counts after = fuzzed.counts();
            assertEquals(1, after.fromUplink() - before.fromUplink(), "counted once as received");
            fuzzed.assertFates(before, after, 1);
            if (vni < 0) {
                assertEquals(1, after.dropsSince(before, DropReason.ofCode(vni)), "the decoder's reason");
                assertTrue(fuzzed.copies().isEmpty());
            }
            for (FuzzedFabric.Copy copy : fuzzed.copies()) {
                assertFalse(copy.toUplink(), "split horizon: nothing from the uplink goes back to it");
                assertEquals(vni, copy.portVni(), "a port of the frame's network");
                assertArrayEquals(inner, copy.bytes(), "the inner frame, unchanged");
                fuzzed.assertReparses(copy);
            }
        }
    }

    /** The first byte picks the ingress port ({@link FuzzedFabric#port}); the rest is the frame. */
    @FuzzTest
    void fromLocal(byte[] input) {
        FuzzedFabric fuzzed = new FuzzedFabric();
        int choice = input.length == 0 ? 0 : input[0];
        LocalPort in = fuzzed.port(choice);
        int portVni = FuzzedFabric.vniOf(in);
        byte[] frame = input.length == 0 ? input : Arrays.copyOfRange(input, 1, input.length);
        UnsafeBuffer buffer = new UnsafeBuffer(frame);
        for (int pass = 0; pass < PASSES; pass++) {
            FuzzedFabric.Counts before = fuzzed.begin();

            fuzzed.fabric().fromLocal(in, buffer, 0, frame.length);

            FuzzedFabric.Counts after = fuzzed.counts();
            assertEquals(1, after.fromLocal() - before.fromLocal(), "counted once as received");
            fuzzed.assertFates(before, after, 1);
            if (portVni < 0 && frame.length >= EthernetView.HEADER_LENGTH) {
                assertEquals(1, after.dropsSince(before, DropReason.UNKNOWN_PORT), "an unattached port");
            }
            boolean answered = after.arpReplies() > before.arpReplies();
            for (FuzzedFabric.Copy copy : fuzzed.copies()) {
                if (answered) {
                    assertEquals(in.id(), copy.portId(), "an ARP answer goes to the asker");
                    assertEquals(EthernetView.TYPE_ARP,
                        buffer.getShort(EthernetView.ETHER_TYPE_OFFSET, ByteOrder.BIG_ENDIAN) & 0xFFFF);
                    assertTrue(frame.length >= EthernetView.HEADER_LENGTH + ArpView.HEADER_LENGTH);
                    FuzzedFabric.assertArpReply(copy, frame);
                    continue;
                }
                assertNotEquals(in.id(), copy.portId(), "never back to the ingress port");
                assertEquals(portVni, copy.toUplink() ? copy.vni() : copy.portVni(), "the port's own network");
                assertArrayEquals(frame, copy.bytes(), "the frame, unchanged");
                fuzzed.assertReparses(copy);
            }
        }
    }
}
