package io.meshd.packet;

import com.code_intelligence.jazzer.junit.FuzzTest;
import org.agrona.concurrent.UnsafeBuffer;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Arbitrary bytes as an Ethernet frame through the whole parse ({@link FrameChain}): it either succeeds or refuses
 * with {@link FrameException} and nothing else; it answers the same for the frame at another place in a buffer and
 * with views reused from the previous frame; and the flow hash, which never throws, does not depend on where the
 * frame sits either.
 */
class FrameChainFuzzTest {
    private static final FrameChain REUSED = new FrameChain();
    private static final int SHIFT = 9;

    @FuzzTest
    void parse(byte[] input) {
        UnsafeBuffer atStart = ViewFuzzing.placed(input, 0);
        UnsafeBuffer shifted = ViewFuzzing.placed(input, SHIFT);

        Object fresh = parseOrRefuse(new FrameChain(), atStart, 0, input.length);

        assertEquals(fresh, parseOrRefuse(REUSED, shifted, SHIFT, input.length), "same answer elsewhere, reused");
        assertEquals(FlowHash.hash(atStart, 0, input.length), FlowHash.hash(shifted, SHIFT, input.length),
            "the flow hash reads the frame only");
    }

    private static Object parseOrRefuse(FrameChain chain, UnsafeBuffer buffer, int offset, int length) {
        try {
            List<Object> layers = chain.parse(buffer, offset, length);
            return layers;
        } catch (FrameException e) {
            return e;
        }
    }
}
