package io.meshd.harness;

import java.nio.ByteBuffer;

/** Builds Ethernet/IPv4/UDP frames for tests, checksums included. */
final class Frames {

    private Frames() {
    }

    /** Writes a complete frame into {@code out} from position 0 and flips it. */
    static void udp(ByteBuffer out, String srcMac, String dstMac, String srcIp, String dstIp, int srcPort,
                    int dstPort, byte[] payload) {
        out.clear();
        out.put(mac(dstMac)).put(mac(srcMac)).putShort((short) 0x0800);
        int ipStart = out.position();
        int totalLength = 20 + 8 + payload.length;
        out.put((byte) 0x45).put((byte) 0).putShort((short) totalLength).putShort((short) 1).putShort((short) 0)
            .put((byte) 64).put((byte) 17).putShort((short) 0)
            .put(Cidr.ipv4(srcIp).getAddress()).put(Cidr.ipv4(dstIp).getAddress());
        out.putShort(ipStart + 10, (short) checksum(out, ipStart, 20));
        out.putShort((short) srcPort).putShort((short) dstPort).putShort((short) (8 + payload.length))
            .putShort((short) 0).put(payload);
        out.flip();
    }

    private static int checksum(ByteBuffer buffer, int offset, int length) {
        int sum = 0;
        for (int i = 0; i < length; i += 2) {
            sum += buffer.getShort(offset + i) & 0xffff;
        }
        while ((sum >> 16) != 0) {
            sum = (sum & 0xffff) + (sum >> 16);
        }
        return ~sum & 0xffff;
    }

    static byte[] mac(String text) {
        String[] parts = text.split(":");
        byte[] mac = new byte[6];
        for (int i = 0; i < 6; i++) {
            mac[i] = (byte) Integer.parseInt(parts[i], 16);
        }
        return mac;
    }
}
