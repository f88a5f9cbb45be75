package io.meshd.packet;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.statistics.Statistics;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.agrona.concurrent.UnsafeBuffer;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.function.Supplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every view over random bytes: wrapping fails exactly when the fixed header does not fit, and then only with
 * {@link FrameException}; once wrapped, every accessor either answers or throws {@link FrameException}, never reads
 * outside the window. The window always ends at the end of the buffer, so a read past it would make Agrona's own
 * bounds check throw {@link IndexOutOfBoundsException} and fail the property.
 */
class HeaderViewPropertiesTest {
    @Provide
    Arbitrary<Supplier<HeaderView>> views() {
        return Arbitraries.of(EthernetView::new, VlanView::new, ArpView::new, Ipv4View::new, Ipv6View::new,
            UdpView::new, TcpView::new);
    }

    @Property(tries = 2000)
    void viewsOnRandomBytesFailOnlyWithFrameException(@ForAll("views") Supplier<HeaderView> factory,
        @ForAll @Size(max = 80) byte[] bytes, @ForAll @IntRange(max = 90) int offset) throws Exception {
        UnsafeBuffer buffer = new UnsafeBuffer(bytes);
        HeaderView view = factory.get();
        int length = bytes.length - offset;
        boolean fits = offset <= bytes.length && length >= fixedLength(view);

        assertEquals(fits, view.tryWrap(buffer, offset, length));
        Method wrap = view.getClass().getMethod("wrap", org.agrona.DirectBuffer.class, int.class, int.class);
        if (!fits) {
            InvocationTargetException failure = assertThrows(InvocationTargetException.class,
                () -> wrap.invoke(view, buffer, offset, length));
            assertTrue(failure.getCause() instanceof FrameException, failure.getCause().toString());
            return;
        }
        wrap.invoke(view, buffer, offset, length);
        for (Method accessor : view.getClass().getMethods()) {
            if (accessor.getParameterCount() == 0 && !Modifier.isStatic(accessor.getModifiers())
                && accessor.getDeclaringClass() != Object.class) {
                try {
                    accessor.invoke(view);
                } catch (InvocationTargetException e) {
                    assertTrue(e.getCause() instanceof FrameException, accessor.getName() + ": " + e.getCause());
                }
            }
        }
    }

    @Property(tries = 500)
    void wellFormedIpv4HasAPayloadInsideTheWindow(@ForAll @Size(min = 20, max = 80) byte[] bytes,
        @ForAll @IntRange(min = 4, max = 8) int ihl, @ForAll @IntRange(min = 16, max = 90) int totalLength) {
        // Random bytes are almost never a header that claims to fit; set version, IHL and total length so that
        // both sides of isWellFormed() are exercised, and check that they are.
        bytes[0] = (byte) (0x40 | ihl);
        bytes[2] = (byte) (totalLength >>> 8);
        bytes[3] = (byte) totalLength;
        Ipv4View ip = new Ipv4View().wrap(new UnsafeBuffer(bytes), 0, bytes.length);
        boolean wellFormed = ip.isWellFormed();
        Statistics.label("well-formed").collect(wellFormed);
        Statistics.label("well-formed").coverage(c -> c.check(true).percentage(p -> p > 5));
        Statistics.label("well-formed").coverage(c -> c.check(false).percentage(p -> p > 5));
        if (wellFormed) {
            assertTrue(ip.payloadOffset() + ip.payloadLength() <= bytes.length);
        }
    }

    private static int fixedLength(HeaderView view) {
        return view.fixedLength();
    }
}
