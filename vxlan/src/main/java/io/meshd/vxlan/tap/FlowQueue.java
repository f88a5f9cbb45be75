package io.meshd.vxlan.tap;

import java.nio.ByteOrder;
import org.agrona.DirectBuffer;

/**
 * Picks the TAP queue for a frame written to a container: the same queue for every frame of one IPv4 flow
 * (addresses, protocol and, for TCP and UDP, ports), queue 0 for anything else. The kernel steers a flow's
 * outgoing frames to the queue it last saw that flow written on, so this spreads flows over the queue readers.
 */
final class FlowQueue {

    private static final int ETHERNET_HEADER = 14;
    private static final int ETHERTYPE_IPV4 = 0x0800;
    private static final int TCP = 6;
    private static final int UDP = 17;

    private FlowQueue() {
    }

    /** The queue, 0 to {@code queues - 1}, for the Ethernet frame at {@code offset}. */
    static int of(DirectBuffer frame, int offset, int length, int queues) {
        if (length < ETHERNET_HEADER + 20
            || (frame.getShort(offset + 12, ByteOrder.BIG_ENDIAN) & 0xffff) != ETHERTYPE_IPV4) {
            return 0;
        }
        int ip = offset + ETHERNET_HEADER;
        int headerLength = (frame.getByte(ip) & 0x0f) * 4;
        int protocol = frame.getByte(ip + 9) & 0xff;
        int hash = frame.getInt(ip + 12) * 31 + frame.getInt(ip + 16);
        hash = hash * 31 + protocol;
        if ((protocol == TCP || protocol == UDP) && length >= ETHERNET_HEADER + headerLength + 4) {
            hash = hash * 31 + frame.getInt(ip + headerLength);
        }
        hash *= 0x9E3779B9;
        return (int) (((hash ^ (hash >>> 16)) & 0xffffffffL) % queues);
    }
}
