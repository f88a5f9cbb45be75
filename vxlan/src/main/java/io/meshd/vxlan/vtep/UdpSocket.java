package io.meshd.vxlan.vtep;

import io.netty.channel.socket.DatagramChannel;

/**
 * One UDP socket of a VTEP: the Netty channel that owns and reads it, the direct sender on its descriptor, and
 * its UDP GSO segment size if it has one.
 */
final class UdpSocket {

    private final DatagramChannel channel;
    private final DatagramSender sender;
    private final int gsoSegmentBytes;

    UdpSocket(DatagramChannel channel, DatagramSender sender, int gsoSegmentBytes) {
        this.channel = channel;
        this.sender = sender;
        this.gsoSegmentBytes = gsoSegmentBytes;
    }

    /** The sticky UDP GSO segment size, or 0 when sends on this socket are never segmented. */
    int gsoSegmentBytes() {
        return gsoSegmentBytes;
    }

    DatagramChannel channel() {
        return channel;
    }

    DatagramSender sender() {
        return sender;
    }
}
