package io.meshd.shims;

import java.nio.ByteBuffer;

/** Builds and recognises ARP frames, the simplest thing the kernel answers on a TAP. */
final class ArpFrames {

    static final int FRAME_LENGTH = 42;

    private ArpFrames() {
    }

    /** Writes a broadcast who-has request for {@code targetIp} from {@code senderMac}/{@code senderIp}. */
    static void request(ByteBuffer out, byte[] senderMac, byte[] senderIp, byte[] targetIp) {
        out.put(new byte[] {-1, -1, -1, -1, -1, -1}).put(senderMac).putShort((short) 0x0806);
        out.putShort((short) 1).putShort((short) 0x0800).put((byte) 6).put((byte) 4).putShort((short) 1);
        out.put(senderMac).put(senderIp).put(new byte[6]).put(targetIp);
    }

    /** Whether the frame at {@code offset} is an ARP reply telling {@code ip}'s MAC to {@code to}. */
    static boolean isReply(ByteBuffer frame, int offset, byte[] ip, byte[] to) {
        if (frame.limit() - offset < FRAME_LENGTH || frame.getShort(offset + 12) != 0x0806
            || frame.getShort(offset + 20) != 2) {
            return false;
        }
        for (int i = 0; i < 6; i++) {
            if (frame.get(offset + i) != to[i]) {
                return false;
            }
        }
        for (int i = 0; i < 4; i++) {
            if (frame.get(offset + 28 + i) != ip[i]) {
                return false;
            }
        }
        return true;
    }

    /** The sender MAC of an ARP frame at {@code offset}. */
    static byte[] senderMac(ByteBuffer frame, int offset) {
        byte[] mac = new byte[6];
        frame.get(offset + 22, mac);
        return mac;
    }
}
