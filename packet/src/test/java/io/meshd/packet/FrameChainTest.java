package io.meshd.packet;

import io.meshd.packet.testing.TestFrames;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The fuzz targets' full parse accepts every captured frame down to its last layer, tagged or not. */
class FrameChainTest {
    static final List<String> CAPTURES = TestFrames.CAPTURES;

    @ParameterizedTest
    @FieldSource("CAPTURES")
    void shouldParseEveryCapturedFrameToItsLastLayer(String capture) {
        UnsafeBuffer frame = TestFrames.capture(capture);
        int layers = capture.startsWith("arp") ? 2 : capture.contains("unreachable") || capture.contains("big")
            || capture.contains("needed") ? 4 : 3;

        assertEquals(layers, new FrameChain().parse(frame, 0, frame.capacity()).size());
        UnsafeBuffer tagged = TestFrames.vlanTagged(frame, 42);
        assertEquals(layers + 1, new FrameChain().parse(tagged, 0, tagged.capacity()).size());
    }

    @ParameterizedTest
    @FieldSource("CAPTURES")
    void shouldRefuseEveryCapturedFrameCutInsideItsHeaders(String capture) {
        UnsafeBuffer frame = TestFrames.capture(capture);

        assertSame(FrameException.truncated(), assertThrows(FrameException.class,
            () -> new FrameChain().parse(frame, 0, EthernetView.HEADER_LENGTH + 7)));
    }
}
