package io.meshd.packet;

import io.meshd.packet.testing.SeededProperty;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Supplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every view over seeded random bytes: wrapping fails exactly when the fixed header does not fit, and then only with
 * {@link FrameException}; once wrapped, every public accessor (found by reflection, so new ones are covered) either
 * answers or throws {@link FrameException}, never reads outside the window. The window always ends at the end of
 * the buffer, so a read past it makes Agrona's bounds check throw {@link IndexOutOfBoundsException} and fails the
 * property. Each property is also run against a broken view to show it catches one.
 */
class HeaderViewPropertiesTest {
    private static final List<Supplier<HeaderView>> VIEWS = List.of(EthernetView::new, VlanView::new, ArpView::new,
        Ipv4View::new, Ipv6View::new, UdpView::new, TcpView::new, IcmpView::new, Icmpv6View::new);

    @Test
    void viewsOnRandomBytesFailOnlyWithFrameException() {
        SeededProperty.forAll("views fail only with FrameException", 0x71, 3000,
            random -> failsOnlyWithFrameException(VIEWS.get(random.nextInt(VIEWS.size())).get(), random));
    }

    @Test
    void shouldCatchAViewThatReadsPastItsWindow() {
        assertTrue(SeededProperty.firstFailure(0x71, 3000,
            random -> failsOnlyWithFrameException(new OverreadingView(), random)).isPresent());
    }

    @Test
    void wellFormedIpv4HasAPayloadInsideTheWindow() {
        int[] wellFormed = new int[2];
        SeededProperty.forAll("a well-formed IPv4 header's payload is inside the window", 0x72, 1000,
            random -> wellFormed[payloadInsideTheWindow(new Ipv4View(), random) ? 1 : 0]++);
        // Both sides of isWellFormed() must be exercised for the property to say anything.
        assertTrue(wellFormed[0] > 50 && wellFormed[1] > 50, "well formed / not: " + wellFormed[1] + " / "
            + wellFormed[0]);
    }

    @Test
    void shouldCatchAnIpv4ViewThatTrustsTheTotalLength() {
        assertTrue(SeededProperty.firstFailure(0x72, 1000,
            random -> payloadInsideTheWindow(new TrustingIpv4View(), random)).isPresent());
    }

    /** Random bytes at a random offset: wrap and every accessor answer or throw FrameException only. */
    private static void failsOnlyWithFrameException(HeaderView view, SplittableRandom random) {
        byte[] bytes = SeededProperty.bytes(random, 80);
        int offset = random.nextInt(91);
        UnsafeBuffer buffer = new UnsafeBuffer(bytes);
        int length = bytes.length - offset;
        boolean fits = offset <= bytes.length && length >= view.fixedLength();
        assertEquals(fits, view.tryWrap(buffer, offset, length));
        Method wrap = method(view, "wrap", DirectBuffer.class, int.class, int.class);
        if (!fits) {
            InvocationTargetException failure = assertThrows(InvocationTargetException.class,
                () -> wrap.invoke(view, buffer, offset, length));
            assertTrue(failure.getCause() instanceof FrameException, failure.getCause().toString());
            return;
        }
        invoke(wrap, view, buffer, offset, length);
        for (Method accessor : view.getClass().getMethods()) {
            if (accessor.getParameterCount() == 0 && !Modifier.isStatic(accessor.getModifiers())
                && accessor.getDeclaringClass() != Object.class) {
                try {
                    accessor.invoke(view);
                } catch (InvocationTargetException e) {
                    assertTrue(e.getCause() instanceof FrameException, accessor.getName() + ": " + e.getCause());
                } catch (IllegalAccessException e) {
                    throw new AssertionError(e);
                }
            }
        }
    }

    /**
     * Random bytes with version, IHL and total length set so that both sides of isWellFormed() occur: a
     * well-formed header's payload ends inside the window.
     *
     * @return whether the header was well formed
     */
    private static boolean payloadInsideTheWindow(HeaderView ip, SplittableRandom random) {
        byte[] bytes = new byte[20 + random.nextInt(61)];
        random.nextBytes(bytes);
        int totalLength = 16 + random.nextInt(75);
        bytes[0] = (byte) (0x40 | 4 + random.nextInt(5));
        bytes[2] = (byte) (totalLength >>> 8);
        bytes[3] = (byte) totalLength;
        assertTrue(ip.tryWrap(new UnsafeBuffer(bytes), 0, bytes.length));
        boolean wellFormed = ip.isWellFormed();
        if (wellFormed) {
            assertTrue(ip.payloadOffset() + ip.payloadLength() <= bytes.length, "payload ends inside the window");
        }
        return wellFormed;
    }

    private static Method method(Object target, String name, Class<?>... parameters) {
        try {
            return target.getClass().getMethod(name, parameters);
        } catch (NoSuchMethodException e) {
            throw new AssertionError(e);
        }
    }

    private static void invoke(Method method, Object target, Object... arguments) {
        try {
            method.invoke(target, arguments);
        } catch (IllegalAccessException | InvocationTargetException e) {
            throw new AssertionError(e);
        }
    }

    /** Mutant: an accessor that reads the two bytes after its header without checking the window. */
    public static final class OverreadingView extends HeaderView {
        OverreadingView() {
            super(8);
        }

        /**
         * Wraps like the real views.
         *
         * @param buffer the buffer
         * @param offset the offset
         * @param length the length
         * @return this view
         */
        public OverreadingView wrap(DirectBuffer buffer, int offset, int length) {
            wrapOrThrow(buffer, offset, length);
            return this;
        }

        @Override
        public boolean isWellFormed() {
            return true;
        }

        /**
         * Reads past a short window.
         *
         * @return the word after the header
         */
        public int trailer() {
            return u16(8);
        }
    }

    /** Mutant: an IPv4 view that believes the total length without checking it against the window. */
    static final class TrustingIpv4View extends HeaderView {
        TrustingIpv4View() {
            super(Ipv4View.MIN_HEADER_LENGTH);
        }

        @Override
        public boolean isWellFormed() {
            return u8(0) >>> 4 == 4 && headerLength() >= 20 && headerLength() <= u16(2);
        }

        @Override
        public int headerLength() {
            return (u8(0) & 0x0F) * 4;
        }

        @Override
        public int payloadLength() {
            return u16(2) - headerLength();
        }
    }
}
