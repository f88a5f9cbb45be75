package io.meshd.lb;

import static java.nio.ByteOrder.BIG_ENDIAN;

import io.meshd.packet.Checksums;
import io.meshd.packet.Ipv4View;
import io.meshd.packet.TcpView;
import io.meshd.packet.UdpView;
import org.agrona.MutableDirectBuffer;

/**
 * The packet an ICMP error quotes, as far as the NAT needs it: its IPv4 header and the first 8 bytes of its TCP
 * or UDP header (the ports; RFC 792 guarantees no more). Rewriting one end keeps the quote self-consistent, as a
 * kernel NAT does: the quoted header checksum, and the quoted transport checksum where the quote holds it.
 * The ICMP checksum over it all is the caller's to redo.
 */
final class QuotedFlow {
    private MutableDirectBuffer buffer;
    private Ipv4View ip;
    private int transportAt;
    private int transportAvailable;

    /** Points at the quote; false if it does not hold the 8 bytes with the ports. */
    boolean wrap(MutableDirectBuffer packet, Ipv4View quotedIp, int quotedLength) {
        buffer = packet;
        ip = quotedIp;
        transportAt = quotedIp.offset() + quotedIp.headerLength();
        transportAvailable = quotedLength - quotedIp.headerLength();
        return transportAvailable >= UdpView.HEADER_LENGTH;
    }

    int sourcePort() {
        return buffer.getShort(transportAt, BIG_ENDIAN) & 0xFFFF;
    }

    int destinationPort() {
        return buffer.getShort(transportAt + 2, BIG_ENDIAN) & 0xFFFF;
    }

    /** Rewrites the quoted packet's source address and port. */
    void rewriteSource(int newIp, int newPort) {
        int oldIp = ip.source();
        int oldPort = sourcePort();
        ip.source(newIp);
        putPort(0, newPort);
        fixChecksums(oldIp, oldPort, newIp, newPort);
    }

    /** Rewrites the quoted packet's destination address and port. */
    void rewriteDestination(int newIp, int newPort) {
        int oldIp = ip.destination();
        int oldPort = destinationPort();
        ip.destination(newIp);
        putPort(2, newPort);
        fixChecksums(oldIp, oldPort, newIp, newPort);
    }

    private void putPort(int at, int port) {
        buffer.putShort(transportAt + at, (short) port, BIG_ENDIAN);
    }

    private void fixChecksums(int oldIp, int oldPort, int newIp, int newPort) {
        ip.checksum(Checksums.update32(ip.checksum(), oldIp, newIp));
        int checksumAt = ip.protocol() == Ipv4View.PROTOCOL_TCP ? TcpView.CHECKSUM_OFFSET : UdpView.CHECKSUM_OFFSET;
        if (transportAvailable < checksumAt + 2) {
            return;
        }
        int at = transportAt + checksumAt;
        int checksum = buffer.getShort(at, BIG_ENDIAN) & 0xFFFF;
        boolean udp = ip.protocol() == Ipv4View.PROTOCOL_UDP;
        if (udp && checksum == 0) {
            return;
        }
        int updated = Checksums.update16(Checksums.update32(checksum, oldIp, newIp), oldPort, newPort);
        buffer.putShort(at, (short) (udp ? Checksums.udp(updated) : updated), BIG_ENDIAN);
    }
}
