package io.meshd.vxlan.vtep;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.meshd.vxlan.tap.ReadBurst;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The receive burst's lifetime: what it holds stays alive exactly until its end, and nothing outlives it. */
class ReceiveBurstTest {

    /** Ports that record, at their end, how many of the burst's buffers were still alive. */
    private static final class RecordingPorts implements ReadBurst {
        final List<ByteBuf> watched = new ArrayList<>();
        int begins;
        int ends;
        int aliveAtEnd;
        boolean keepSomething;
        RuntimeException failAtEnd;

        @Override
        public void begin() {
            begins++;
        }

        @Override
        public void end() {
            ends++;
            aliveAtEnd = (int) watched.stream().filter(b -> b.refCnt() > 0).count();
            if (failAtEnd != null) {
                throw failAtEnd;
            }
        }

        @Override
        public boolean pending() {
            return keepSomething;
        }
    }

    private final RecordingPorts ports = new RecordingPorts();

    private ByteBuf received(int capacity) {
        ByteBuf buffer = Unpooled.directBuffer(capacity, capacity);
        ports.watched.add(buffer);
        return buffer;
    }

    @Test
    void shouldKeepEveryHeldBufferAliveUntilThePortsEndAndReleaseEachExactlyOnceAtEnd() {
        ReceiveBurst burst = new ReceiveBurst(ports, 8, 1 << 20);
        burst.begin();
        for (int i = 0; i < 3; i++) {
            ByteBuf buffer = received(100);
            assertFalse(burst.hold(buffer, buffer));
        }
        assertTrue(ports.watched.stream().allMatch(b -> b.refCnt() == 1), "held, not released, while open");

        burst.end();

        assertEquals(1, ports.begins);
        assertEquals(1, ports.ends);
        assertEquals(3, ports.aliveAtEnd, "every buffer still readable when the ports wrote at the end");
        assertTrue(ports.watched.stream().allMatch(b -> b.refCnt() == 0), "every buffer released at the end");
        assertEquals(0, burst.held());
        assertFalse(burst.isOpen());
        // A second end releases nothing twice (a double release would throw).
        burst.end();
        assertEquals(1, ports.ends, "the ports end once per burst");
    }

    @Test
    void shouldRefuseToHoldABufferOutsideAnOpenBurst() {
        ReceiveBurst burst = new ReceiveBurst(ports, 8, 1 << 20);
        ByteBuf early = received(100);
        assertThrows(IllegalStateException.class, () -> burst.hold(early, early), "before begin");
        assertEquals(1, early.refCnt(), "a refused buffer stays the caller's");

        burst.begin();
        burst.end();
        ByteBuf late = received(100);
        assertThrows(IllegalStateException.class, () -> burst.hold(late, late), "after end");
        assertEquals(1, late.refCnt());
        early.release();
        late.release();
    }

    @Test
    void shouldDetectAPortThatStillRefersToTheBurstsBuffersAfterItsEnd() {
        ReceiveBurst burst = new ReceiveBurst(ports, 8, 1 << 20);
        ports.keepSomething = true;
        burst.begin();
        ByteBuf buffer = received(100);
        burst.hold(buffer, buffer);

        IllegalStateException detected = assertThrows(IllegalStateException.class, burst::end);

        assertTrue(detected.getMessage().contains("after its end"), detected.getMessage());
        assertEquals(0, buffer.refCnt(), "released all the same: the burst is over");
    }

    @Test
    void shouldReleaseEverythingWhenAPortFailsAtEnd() {
        ReceiveBurst burst = new ReceiveBurst(ports, 8, 1 << 20);
        ports.failAtEnd = new IllegalArgumentException("port failed");
        burst.begin();
        ByteBuf buffer = received(100);
        burst.hold(buffer, buffer);

        RuntimeException thrown = assertThrows(RuntimeException.class, burst::end);

        assertSame(ports.failAtEnd, thrown);
        assertEquals(0, buffer.refCnt());
        assertFalse(burst.isOpen());
    }

    @Test
    void shouldSayWhenItIsFullByCountAndWhenABufferWouldPassItsByteLimit() {
        ReceiveBurst burst = new ReceiveBurst(ports, 3, 250);
        burst.begin();
        ByteBuf shared = received(100);
        assertFalse(burst.hold(shared.retainedSlice(0, 10), shared));
        assertTrue(burst.hasRoomFor(shared), "a buffer already held costs nothing more");
        assertFalse(burst.hold(shared.retainedSlice(10, 10), shared));
        assertEquals(100, burst.heldBytes(), "counted once for both slices");
        ByteBuf another = received(100);
        assertTrue(burst.hasRoomFor(another), "200 of 250 bytes");
        assertTrue(burst.hold(another, another), "full at three messages");
        assertThrows(IllegalStateException.class, () -> burst.hold(shared, shared), "nothing past the capacity");
        assertFalse(burst.hasRoomFor(received(100)), "300 would pass 250 bytes");
        burst.end();
        shared.release();
        assertTrue(ports.watched.subList(0, 2).stream().allMatch(b -> b.refCnt() == 0));
        ports.watched.get(2).release();
    }
}
