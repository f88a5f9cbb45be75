package io.meshd.vxlan.fabric;

import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

/**
 * A frame rewriter at the switch's two edges, such as the load balancer's VIP NAT. The switch calls
 * {@link #fromEndpoint} for every frame a local endpoint sends (after the ARP responder, before the forwarding
 * lookup, so a rewritten destination MAC is what gets looked up; a TSO super-frame once, before its segments are
 * cut), and {@link #towardsEndpoint} for every frame about to be delivered to a local endpoint (before the TAP's
 * coalescer). Rewrites happen in place and keep the frame's length.
 *
 * <p>Called concurrently from every packet thread of the switch, never from the control plane: implementations keep
 * per-thread scratch state, allocate nothing and never block.
 */
public interface FrameHook {

    /** What the switch does with a frame after {@link #fromEndpoint}. */
    enum Verdict {
        /** Switch the frame as it now is (rewritten or untouched). */
        FORWARD,
        /** Drop the frame; the hook counted why. */
        DROP,
        /** Drop the frame and deliver {@link #reply()} back to the port it came from. */
        REPLY
    }

    /**
     * A frame sent by a local endpoint on network {@code vni}.
     *
     * @param vni the sender's network
     * @param frame the Ethernet frame, writable
     * @param offset where it starts
     * @param length its length (at least an Ethernet header)
     * @return what to do with it
     */
    Verdict fromEndpoint(int vni, MutableDirectBuffer frame, int offset, int length);

    /**
     * A frame about to be delivered to a local endpoint on network {@code vni}; rewrites it in place if it must.
     *
     * @param vni the network
     * @param frame the Ethernet frame, writable
     * @param offset where it starts
     * @param length its length (at least an Ethernet header)
     */
    void towardsEndpoint(int vni, MutableDirectBuffer frame, int offset, int length);

    /**
     * The answer after {@link Verdict#REPLY}, valid on the calling thread until its next call into the hook.
     *
     * @return the buffer; its first {@link #replyLength()} bytes are an Ethernet frame
     */
    DirectBuffer reply();

    /**
     * The length of {@link #reply()} after {@link Verdict#REPLY} on the calling thread.
     *
     * @return bytes
     */
    int replyLength();
}
