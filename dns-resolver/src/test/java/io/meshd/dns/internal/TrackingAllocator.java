package io.meshd.dns.internal;

import static org.junit.jupiter.api.Assertions.fail;

import io.netty.buffer.AbstractByteBufAllocator;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.UnpooledDirectByteBuf;
import io.netty.buffer.UnpooledHeapByteBuf;
import java.util.ArrayList;
import java.util.List;

/**
 * An allocator that remembers every buffer it hands out, so a test can say at once (not when a GC happens to run,
 * as the leak detector does) whether every one of them has been released.
 */
final class TrackingAllocator extends AbstractByteBufAllocator {

    private final List<ByteBuf> handedOut = new ArrayList<>();

    TrackingAllocator() {
        super(true);
    }

    @Override
    protected ByteBuf newHeapBuffer(int initialCapacity, int maxCapacity) {
        return track(new UnpooledHeapByteBuf(this, initialCapacity, maxCapacity));
    }

    @Override
    protected ByteBuf newDirectBuffer(int initialCapacity, int maxCapacity) {
        return track(new UnpooledDirectByteBuf(this, initialCapacity, maxCapacity));
    }

    private ByteBuf track(ByteBuf buf) {
        handedOut.add(buf);
        return buf;
    }

    @Override
    public boolean isDirectBufferPooled() {
        return false;
    }

    /** Fails if a buffer handed out since the last call is still referenced; forgets them all either way. */
    void assertAllReleased(String context) {
        int live = 0;
        for (ByteBuf b : handedOut) {
            if (b.refCnt() > 0) {
                live++;
                b.release(b.refCnt());
            }
        }
        int total = handedOut.size();
        handedOut.clear();
        if (live > 0) {
            fail(live + " of " + total + " buffers still referenced after " + context);
        }
    }
}
