package io.meshd.vxlan.vtep;

import io.meshd.vxlan.tap.ReadBurst;
import io.netty.buffer.ByteBuf;
import io.netty.util.ReferenceCountUtil;
import java.util.Objects;

/**
 * One receive burst of an event loop: the datagrams one read loop delivers, kept alive from {@link #begin()} to
 * {@link #end()} because the ports it feeds ({@code ports}, e.g. {@link io.meshd.vxlan.tap.TapPort#receiveBurst()},
 * whose coalescer gathers TCP payloads from where they were received) may write them only at the end.
 *
 * <p>The lifetime is this object's state, not a convention:
 * <ol>
 *   <li>{@link #begin()} opens the burst and tells the ports to start gathering;</li>
 *   <li>{@link #hold} takes ownership of a received message until the end; it is refused outside an open burst,
 *       so no message is held by a burst that has ended or not begun;</li>
 *   <li>{@link #end()} lets the ports write what they gathered, then releases every held message exactly once,
 *       even when a port fails. A port that still refers to the burst's memory after its own {@code end()}
 *       ({@link ReadBurst#pending()}) would read freed buffers later: that is detected and thrown as an
 *       {@link IllegalStateException} once the messages are released.</li>
 * </ol>
 * A burst also ends early when it holds {@link #capacity()} messages or when one more receive buffer would take
 * the memory it keeps past its byte limit (the caller asks {@link #hasRoomFor} first).
 *
 * <p>One instance per channel, used on its event loop only; allocation-free.
 */
final class ReceiveBurst {

    private final ReadBurst ports;
    private final Object[] held;
    private final long maxHeldBytes;
    private int heldCount;
    private long heldBytes;
    /** The receive buffer last counted into {@link #heldBytes}: consecutive datagrams share it. */
    private ByteBuf lastBuffer;
    private boolean open;

    /**
     * @param ports what the burst's frames are switched to, bracketed by the burst
     * @param maxHeld the most messages one burst holds
     * @param maxHeldBytes the most receive-buffer capacity one burst keeps alive
     */
    ReceiveBurst(ReadBurst ports, int maxHeld, long maxHeldBytes) {
        if (maxHeld < 1 || maxHeldBytes < 1) {
            throw new IllegalArgumentException("a burst must hold something: " + maxHeld + ", " + maxHeldBytes);
        }
        this.ports = Objects.requireNonNull(ports);
        this.held = new Object[maxHeld];
        this.maxHeldBytes = maxHeldBytes;
    }

    /** Whether the burst has begun and not yet ended. */
    boolean isOpen() {
        return open;
    }

    /** How many messages the burst holds now. */
    int held() {
        return heldCount;
    }

    /** The most messages one burst holds. */
    int capacity() {
        return held.length;
    }

    /** The receive-buffer capacity the burst keeps alive now. */
    long heldBytes() {
        return heldBytes;
    }

    /** Opens the burst: the ports start gathering. Does nothing when it is already open. */
    void begin() {
        if (!open) {
            open = true;
            ports.begin();
        }
    }

    /**
     * Whether a message read into {@code receiveBuffer} (null for a message without one) can join without the
     * burst keeping more than its byte limit alive; when not, the caller ends the burst first.
     */
    boolean hasRoomFor(ByteBuf receiveBuffer) {
        return receiveBuffer == null || receiveBuffer == lastBuffer || heldBytes == 0
            || heldBytes + receiveBuffer.capacity() <= maxHeldBytes;
    }

    /**
     * Keeps {@code message} (which the caller owned) alive until {@link #end()}, which releases it.
     *
     * @param message a reference-counted message, or any other object (released as {@link ReferenceCountUtil}
     *     does: nothing for plain objects)
     * @param receiveBuffer the buffer it was read into (counted once however many messages share it), or null
     * @return true when the burst is now full: the caller must end it before holding another message
     * @throws IllegalStateException when the burst is not open (the message stays the caller's)
     */
    boolean hold(Object message, ByteBuf receiveBuffer) {
        if (!open) {
            throw new IllegalStateException("no receive burst is open: a message cannot outlive its burst");
        }
        if (heldCount == held.length) {
            throw new IllegalStateException("receive burst full: end it first");
        }
        held[heldCount++] = message;
        if (receiveBuffer != null && receiveBuffer != lastBuffer) {
            lastBuffer = receiveBuffer;
            heldBytes += receiveBuffer.capacity();
        }
        return heldCount == held.length;
    }

    /**
     * Ends the burst: the ports write what they gathered, then every held message is released, whatever the ports
     * did. Does nothing to the ports when the burst is not open, but still releases anything held.
     *
     * @throws RuntimeException what a port threw, after the release
     * @throws IllegalStateException when a port still refers to the burst's memory after its end
     */
    void end() {
        RuntimeException failure = null;
        if (open) {
            open = false;
            try {
                ports.end();
                if (ports.pending()) {
                    failure = new IllegalStateException("a port still refers to a receive burst's buffers after its"
                        + " end: " + ports);
                }
            } catch (RuntimeException e) {
                failure = e;
            }
        }
        releaseAll();
        if (failure != null) {
            throw failure;
        }
    }

    private void releaseAll() {
        for (int i = 0; i < heldCount; i++) {
            ReferenceCountUtil.release(held[i]);
            held[i] = null;
        }
        heldCount = 0;
        heldBytes = 0;
        lastBuffer = null;
    }
}
