package io.meshd.vxlan.vtep;

import io.meshd.packet.FlowHash;
import io.meshd.vxlan.codec.VxlanCodec;
import io.meshd.vxlan.codec.VxlanHeader;
import io.meshd.vxlan.fabric.RemoteVtep;
import io.meshd.vxlan.fabric.SegmentedFrame;
import java.io.IOException;
import java.net.InetSocketAddress;
import org.agrona.DirectBuffer;

/**
 * The send path of a {@link UdpVtep}: encapsulates frames into the calling thread's {@link SendBuffer} and sends
 * them straight on the descriptor of the source-port socket their flow hash picks, with no hand-off to an event
 * loop. Inside a send burst ({@link #begin()}/{@link #end()}) it gathers GSO-sized datagrams for the port's GSO twin
 * and sends them with one syscall. A full socket buffer drops the datagram and counts it; nothing is thrown for
 * I/O failures. Any number of threads may send at once; the sockets are published by {@link #use}.
 */
final class VtepSender {

    private static final UdpSocket[] NONE = new UdpSocket[0];
    private static final ThreadLocal<SendBuffer> SEND_BUFFER = ThreadLocal.withInitial(SendBuffer::new);

    private final VtepCounters counters;
    private final RemoteAddresses addresses = new RemoteAddresses();
    /** One socket per source port, in port order (empty when stopped). */
    private volatile UdpSocket[] senders = NONE;
    /**
     * A GSO twin per source port, bound to the same port with {@code SO_REUSEPORT} (empty without GSO). Its sticky
     * {@code UDP_SEGMENT} would cut any longer datagram apart, so only GSO-sized batches go through the twin and
     * everything else through the plain socket; one thread sends both in order.
     */
    private volatile UdpSocket[] gsoTwins = NONE;

    VtepSender(VtepCounters counters) {
        this.counters = counters;
    }

    /** Sends from these sockets from now on: one per source port, and a GSO twin per port (or none). */
    void use(UdpSocket[] pool, UdpSocket[] twins) {
        // Twins first: a sender that sees the new pool also sees its twins.
        gsoTwins = twins;
        senders = pool;
    }

    /** Stops sending: later sends are dropped silently until {@link #use} is called again. */
    void stop() {
        senders = NONE;
        gsoTwins = NONE;
    }

    /** See {@link UdpVtep#send}. */
    void send(int vni, RemoteVtep to, DirectBuffer frame, int offset, int length) {
        UdpSocket[] pool = senders;
        if (pool.length == 0) {
            return;
        }
        int datagram = VxlanHeader.LENGTH + length;
        if (datagram > VxlanCodec.MAX_UDP_PAYLOAD) {
            counters.oversized();
            return;
        }
        SendBuffer out = SEND_BUFFER.get();
        boolean batched = target(out, pool, sourceIndex(pool, frame, offset, length), to, datagram);
        out.append(vni, frame, offset, length);
        if (!batched) {
            flush(out);
        }
    }

    /** See {@link UdpVtep#sendSegments}. */
    void sendSegments(int vni, RemoteVtep to, SegmentedFrame frame) {
        UdpSocket[] pool = senders;
        if (pool.length == 0) {
            return;
        }
        int index = sourceIndex(pool, frame.buffer(), frame.offset(), frame.length());
        SendBuffer out = SEND_BUFFER.get();
        for (int i = 0; i < frame.segments(); i++) {
            int datagram = VxlanHeader.LENGTH + frame.segmentLength(i);
            if (datagram > VxlanCodec.MAX_UDP_PAYLOAD) {
                counters.oversized();
                continue;
            }
            boolean batched = target(out, pool, index, to, datagram);
            out.appendSegment(vni, frame, i);
            if (!batched) {
                flush(out);
            }
        }
    }

    /** The hash scaled into [0, n) is the offset of the source port in the range: the socket bound to it. */
    private static int sourceIndex(UdpSocket[] pool, DirectBuffer frame, int offset, int length) {
        return pool.length == 1 ? 0 : FlowHash.sourcePort(frame, offset, length, 0, pool.length - 1);
    }

    /**
     * Chooses the socket for the next datagram and makes room for it in {@code out}. Inside a burst, a datagram of
     * the GSO size starts or joins a batch for the port's GSO twin, and a shorter one ends such a batch if one is
     * open for the same twin and peer: true. A shorter one that cannot end a GSO batch joins a {@code sendmmsg}
     * batch of whole datagrams for the port's plain socket (small packets: many frames of one poll of a TAP, one
     * system call): true. Whatever is held back is sent first when the datagram cannot follow it. Anything else
     * (outside a burst, a longer datagram, no GSO) goes alone through the plain socket, after whatever was held
     * back, so a flow keeps its order: false, and the caller sends it as soon as it is appended.
     */
    private boolean target(SendBuffer out, UdpSocket[] pool, int index, RemoteVtep to, int datagram) {
        InetSocketAddress destination = addresses.of(to);
        UdpSocket[] twins = gsoTwins;
        if (out.bursting && twins.length == pool.length) {
            UdpSocket twin = twins[index];
            int segment = twin.gsoSegmentBytes();
            if (datagram <= segment) {
                UdpSocket plain = pool[index];
                boolean endsGsoBatch = out.count > 0 && !out.batching && out.canAppend(twin, destination, datagram);
                if (datagram == segment || endsGsoBatch || !plain.sender().sendsBatches()) {
                    if (out.count > 0 && !endsGsoBatch) {
                        flush(out);
                    }
                    // A shorter datagram can only be the last of a GSO batch.
                    out.target(twin, destination, datagram < segment);
                    return true;
                }
                if (out.count > 0 && !out.canBatch(plain, datagram)) {
                    flush(out);
                }
                out.batch(plain, destination, to.address(), to.port());
                return true;
            }
        }
        flush(out);
        out.target(pool[index], destination, true);
        return false;
    }

    /** Starts holding back datagrams sent on this thread (a TAP poller, before switching the reads of a poll). */
    void begin() {
        SEND_BUFFER.get().bursting = true;
    }

    /** Sends what this thread holds back and stops holding back. */
    void end() {
        SendBuffer out = SEND_BUFFER.get();
        out.bursting = false;
        flush(out);
    }

    /** Whether this thread holds back datagrams: their payloads may point into the TAP's read buffer. */
    boolean pending() {
        return SEND_BUFFER.get().count > 0;
    }

    private void flush(SendBuffer out) {
        int count = out.count;
        if (count == 0) {
            return;
        }
        int bytes = out.bytes;
        try {
            if (out.batching && count > 1) {
                int sent = out.socket.sender().sendBatch(out.messages);
                counters.sentBatch(sent, (int) out.messages.bytes(sent));
                if (sent < count) {
                    counters.sendBufferFull(count - sent);
                }
                return;
            }
            // More than one datagram: the socket's sticky UDP_SEGMENT makes the kernel cut them apart again.
            if (out.socket.sender().send(out.buffer, out.pieces, bytes, out.destination) > 0) {
                counters.sent(count, bytes);
            } else {
                counters.sendBufferFull(count);
            }
        } catch (IOException | RuntimeException e) {
            counters.sendError(count);
        } finally {
            out.reset();
        }
    }
}
