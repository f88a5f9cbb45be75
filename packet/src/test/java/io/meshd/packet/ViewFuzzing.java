package io.meshd.packet;

import org.agrona.concurrent.UnsafeBuffer;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.function.Supplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The invariants every header view keeps on arbitrary bytes, shared by the fuzz targets and the seeded properties.
 *
 * <p>The bytes are placed twice: at the start of a buffer that ends with them, and behind a few guard bytes. Every
 * accessor's answer (or its {@link FrameException}) must be the same in both places: a read before the window
 * throws in the first placement, a read after it throws in both (the buffer ends with the window), and a read of
 * an absolute position instead of a window-relative one answers differently.
 */
final class ViewFuzzing {
    /** What an accessor answered when it refused with {@link FrameException}. */
    static final String REFUSED = "FrameException";
    private static final int GUARD = 7;

    private ViewFuzzing() {
    }

    /**
     * Checks a view type on the bytes.
     *
     * @param input the bytes, the view's window
     * @param views makes a fresh view
     * @param read calls every accessor of the view (through {@link #guard}) and returns the answers
     * @param <V> the view type
     */
    static <V extends HeaderView> void check(byte[] input, Supplier<V> views, Function<V, List<Object>> read) {
        List<Object> atStart = readAt(input, 0, views.get(), read);
        List<Object> behindGuard = readAt(input, GUARD, views.get(), read);
        assertEquals(atStart, behindGuard, "a view answers from its window only");
    }

    /**
     * Calls an accessor, mapping its {@link FrameException} to {@link #REFUSED}; any other exception escapes.
     *
     * @param accessor the accessor
     * @return its answer or {@link #REFUSED}
     */
    static Object guard(Supplier<?> accessor) {
        try {
            return accessor.get();
        } catch (FrameException e) {
            return REFUSED;
        }
    }

    /**
     * Wraps a buffer holding the bytes behind {@code shift} guard bytes.
     *
     * @param input the bytes
     * @param shift how many guard bytes come first
     * @return a buffer that ends with the bytes
     */
    static UnsafeBuffer placed(byte[] input, int shift) {
        UnsafeBuffer buffer = new UnsafeBuffer(new byte[shift + input.length]);
        buffer.setMemory(0, shift, (byte) 0xA5);
        buffer.putBytes(shift, input);
        return buffer;
    }

    private static <V extends HeaderView> List<Object> readAt(byte[] input, int shift, V view,
        Function<V, List<Object>> read) {
        UnsafeBuffer buffer = placed(input, shift);
        assertFalse(view.tryWrap(buffer, shift, input.length + 1), "window past the buffer");
        assertFalse(view.tryWrap(buffer, -1, input.length), "negative offset");
        assertFalse(view.tryWrap(buffer, shift + 1, Integer.MAX_VALUE), "overflowing window");
        boolean fits = input.length >= view.fixedLength();
        assertEquals(fits, view.tryWrap(buffer, shift, input.length), "wraps exactly when the fixed header fits");
        if (!fits) {
            return List.of("short");
        }
        List<Object> answers = new ArrayList<>();
        boolean wellFormed = view.isWellFormed();
        answers.add(wellFormed);
        answers.add(view.headerLength());
        Object payloadOffset = guard(() -> view.payloadOffset() - view.offset());
        Object payloadLength = guard(view::payloadLength);
        answers.add(payloadOffset);
        answers.add(payloadLength);
        if (wellFormed) {
            int header = (Integer) payloadOffset;
            int payload = (Integer) payloadLength;
            assertEquals(view.headerLength(), header, "the payload follows the header");
            assertTrue(header >= view.fixedLength() && payload >= 0 && header + payload <= input.length,
                "header " + header + " <= header + payload " + payload + " <= available " + input.length);
        } else if (payloadOffset instanceof Integer && payloadLength instanceof Integer) {
            int end = (Integer) payloadOffset + (Integer) payloadLength;
            assertTrue((Integer) payloadLength >= 0 && end <= input.length, "answers stay in the window");
        }
        answers.addAll(read.apply(view));
        return answers;
    }
}
