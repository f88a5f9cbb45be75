package io.meshd.harness;

import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.Optional;

/**
 * One frame a {@link Capture} saw, with decoders for the fields tests assert on. Offsets assume Ethernet
 * (DLT_EN10MB) without VLAN tags.
 */
public final class CapturedFrame {

    private static final int ETHERTYPE_IPV4 = 0x0800;

    private final Instant timestamp;
    private final byte[] bytes;
    private final int originalLength;

    CapturedFrame(Instant timestamp, byte[] bytes, int originalLength) {
        this.timestamp = timestamp;
        this.bytes = bytes;
        this.originalLength = originalLength;
    }

    /** When the kernel saw the frame. */
    public Instant timestamp() {
        return timestamp;
    }

    /** A copy of the captured bytes (at most the snap length). */
    public byte[] bytes() {
        return bytes.clone();
    }

    /** Captured bytes. */
    public int length() {
        return bytes.length;
    }

    /** The frame's length on the wire, which exceeds {@link #length()} when the snap length cut it. */
    public int originalLength() {
        return originalLength;
    }

    /** Destination MAC, e.g. {@code "ff:ff:ff:ff:ff:ff"}. */
    public String ethDestination() {
        return mac(0);
    }

    /** Source MAC. */
    public String ethSource() {
        return mac(6);
    }

    /** The EtherType, e.g. 0x0800 for IPv4, 0x0806 for ARP. */
    public int etherType() {
        return bytes.length < 14 ? -1 : ByteBuffer.wrap(bytes).getShort(12) & 0xffff;
    }

    /** Whether this is an IPv4 packet with a complete header. */
    public boolean isIpv4() {
        return etherType() == ETHERTYPE_IPV4 && bytes.length >= 34 && (bytes[14] >> 4) == 4;
    }

    /** The IPv4 source address, dotted. */
    public Optional<String> ipv4Source() {
        return isIpv4() ? Optional.of(dotted(26)) : Optional.empty();
    }

    /** The IPv4 destination address, dotted. */
    public Optional<String> ipv4Destination() {
        return isIpv4() ? Optional.of(dotted(30)) : Optional.empty();
    }

    /** The IPv4 protocol number (1 ICMP, 6 TCP, 17 UDP). */
    public Optional<Integer> ipProtocol() {
        return isIpv4() ? Optional.of(bytes[23] & 0xff) : Optional.empty();
    }

    /** The UDP destination port of an IPv4/UDP packet. */
    public Optional<Integer> udpDestinationPort() {
        return l4Port(2);
    }

    /** The UDP source port of an IPv4/UDP packet. */
    public Optional<Integer> udpSourcePort() {
        return l4Port(0);
    }

    /** The bytes after the IPv4 and UDP headers of an IPv4/UDP packet (a VXLAN header, a DNS message...). */
    public Optional<byte[]> udpPayload() {
        int start = l4Offset() + 8;
        if (ipProtocol().orElse(-1) != 17 || start > bytes.length) {
            return Optional.empty();
        }
        byte[] payload = new byte[bytes.length - start];
        System.arraycopy(bytes, start, payload, 0, payload.length);
        return Optional.of(payload);
    }

    private Optional<Integer> l4Port(int offset) {
        int at = l4Offset() + offset;
        if (ipProtocol().orElse(-1) != 17 || at + 2 > bytes.length) {
            return Optional.empty();
        }
        return Optional.of(ByteBuffer.wrap(bytes).getShort(at) & 0xffff);
    }

    private int l4Offset() {
        return 14 + (bytes.length > 14 ? (bytes[14] & 0x0f) * 4 : 0);
    }

    private String mac(int offset) {
        if (bytes.length < offset + 6) {
            return "";
        }
        StringBuilder text = new StringBuilder(17);
        for (int i = 0; i < 6; i++) {
            if (i > 0) {
                text.append(':');
            }
            text.append(String.format("%02x", bytes[offset + i] & 0xff));
        }
        return text.toString();
    }

    private String dotted(int offset) {
        return (bytes[offset] & 0xff) + "." + (bytes[offset + 1] & 0xff) + "." + (bytes[offset + 2] & 0xff) + "."
            + (bytes[offset + 3] & 0xff);
    }

    @Override
    public String toString() {
        return "Frame[" + length() + " B, " + ethSource() + " > " + ethDestination()
            + String.format(", type 0x%04x", etherType())
            + ipv4Source().map(s -> ", " + s + " > " + ipv4Destination().orElse("")).orElse("") + "]";
    }
}
