package io.meshd.benchmarks.vxlan;

import io.meshd.packet.EthernetView;
import io.meshd.packet.Ipv4View;
import io.meshd.packet.MacAddress;
import io.meshd.packet.UdpView;
import org.agrona.concurrent.UnsafeBuffer;

import java.nio.ByteBuffer;

/**
 * Builds the frames the benchmarks switch: Ethernet/IPv4/UDP of a given total size in direct memory.
 */
final class BenchFrames {
    static final long MAC_LOCAL = MacAddress.parse("02:42:0a:00:00:02");
    static final long MAC_OTHER_LOCAL = MacAddress.parse("02:42:0a:00:00:03");
    static final long MAC_REMOTE = MacAddress.parse("02:42:0a:00:00:63");

    private BenchFrames() {
    }

    /**
     * A direct buffer with {@code headroom} spare bytes, then an Ethernet/IPv4/UDP frame of {@code frameSize} bytes.
     */
    static UnsafeBuffer udpFrame(int headroom, int frameSize, long destination, long source) {
        UnsafeBuffer buffer = new UnsafeBuffer(ByteBuffer.allocateDirect(headroom + frameSize));
        int ipLength = frameSize - EthernetView.HEADER_LENGTH;
        new EthernetView().wrap(buffer, headroom, frameSize).destination(destination).source(source)
            .etherType(EthernetView.TYPE_IPV4);
        Ipv4View ip = new Ipv4View().wrap(buffer, headroom + EthernetView.HEADER_LENGTH, ipLength);
        ip.headerLength(Ipv4View.MIN_HEADER_LENGTH).tos(0).totalLength(ipLength).identification(1)
            .unfragmented(true).ttl(64).protocol(Ipv4View.PROTOCOL_UDP).source(0x0A000002).destination(0x0A000063)
            .updateChecksum();
        new UdpView().wrap(buffer, ip.payloadOffset(), ipLength - Ipv4View.MIN_HEADER_LENGTH).sourcePort(40000)
            .destinationPort(5201).datagramLength(ipLength - Ipv4View.MIN_HEADER_LENGTH).checksum(0);
        return buffer;
    }
}
