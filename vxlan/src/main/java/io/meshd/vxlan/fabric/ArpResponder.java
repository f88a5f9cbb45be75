package io.meshd.vxlan.fabric;

import io.meshd.packet.ArpView;
import io.meshd.packet.EthernetView;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * Answers ARP requests for addresses in the {@link NeighborTable} with a reply built in a per-thread scratch
 * buffer, so the request never has to be flooded (Docker's overlay does the same in the kernel).
 *
 * <p>It answers only well-formed Ethernet/IPv4 requests that are not gratuitous (sender IP = target IP), with a
 * reply from the neighbor's MAC to the requester's sender MAC. Everything else is left to normal forwarding.
 */
final class ArpResponder {
    /** An untagged Ethernet frame holding an ARP packet. */
    static final int FRAME_LENGTH = EthernetView.HEADER_LENGTH + ArpView.HEADER_LENGTH;
    /** {@link #answer} answered the request. */
    static final int ANSWERED = 1;
    /** {@link #answer} found no request to answer: a reply, a gratuitous request, or not ARP over IPv4. */
    static final int NOT_A_REQUEST = 0;
    /** {@link #answer} found a request for an address the neighbor table does not hold (a miss). */
    static final int UNKNOWN_TARGET = -1;
    private static final ThreadLocal<Scratch> SCRATCH = ThreadLocal.withInitial(Scratch::new);
    private final NeighborTable neighbors;

    ArpResponder(NeighborTable neighbors) {
        this.neighbors = neighbors;
    }

    /**
     * Answers the request in the frame if it can, delivering the reply to the asking port.
     *
     * @return {@link #ANSWERED} if the frame was an ARP request this responder answered (so it must not be
     *     forwarded), {@link #UNKNOWN_TARGET} for a request it could not answer, {@link #NOT_A_REQUEST} otherwise
     */
    int answer(int vni, LocalPort asker, DirectBuffer frame, int offset, int length) {
        Scratch scratch = SCRATCH.get();
        ArpView request = scratch.request;
        if (!request.tryWrap(frame, offset + EthernetView.HEADER_LENGTH, length - EthernetView.HEADER_LENGTH)
            || !request.isWellFormed() || request.operation() != ArpView.OP_REQUEST) {
            return NOT_A_REQUEST;
        }
        int targetIp = request.targetIp();
        int senderIp = request.senderIp();
        if (targetIp == senderIp) {
            return NOT_A_REQUEST;
        }
        long answer = neighbors.lookup(vni, targetIp);
        if (answer == NeighborTable.NONE) {
            return UNKNOWN_TARGET;
        }
        long senderMac = request.senderMac();
        scratch.ethernet.destination(senderMac).source(answer).etherType(EthernetView.TYPE_ARP);
        scratch.reply.write(ArpView.OP_REPLY, answer, targetIp, senderMac, senderIp);
        asker.deliver(scratch.buffer, 0, FRAME_LENGTH);
        return ANSWERED;
    }

    /** Views and the reply buffer of one thread. */
    private static final class Scratch {
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[FRAME_LENGTH]);
        final ArpView request = new ArpView();
        final EthernetView ethernet = new EthernetView().wrap(buffer, 0, FRAME_LENGTH);
        final ArpView reply = new ArpView().wrap(buffer, EthernetView.HEADER_LENGTH, ArpView.HEADER_LENGTH);
    }
}
