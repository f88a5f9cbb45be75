package io.meshd.harness;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Writes the classic libpcap file format (microsecond timestamps) that tshark, tcpdump and Wireshark read.
 *
 * <pre>
 * global header (24 bytes): magic a1b2c3d4 | major 2 | minor 4 | thiszone 0 | sigfigs 0 | snaplen | linktype
 * per record    (16 bytes): ts_sec | ts_usec | incl_len | orig_len, then incl_len bytes of frame
 * </pre>
 */
final class PcapWriter {

    private PcapWriter() {
    }

    static void write(Path file, int linkType, int snapLength, List<CapturedFrame> frames) throws IOException {
        try (OutputStream out = Files.newOutputStream(file)) {
            ByteBuffer header = ByteBuffer.allocate(24).order(ByteOrder.LITTLE_ENDIAN);
            header.putInt(0xa1b2c3d4).putShort((short) 2).putShort((short) 4).putInt(0).putInt(0)
                .putInt(snapLength).putInt(linkType);
            out.write(header.array());
            ByteBuffer record = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN);
            for (CapturedFrame frame : frames) {
                record.clear();
                record.putInt((int) frame.timestamp().getEpochSecond()).putInt(frame.timestamp().getNano() / 1000)
                    .putInt(frame.length()).putInt(frame.originalLength());
                out.write(record.array());
                out.write(frame.bytes());
            }
        }
    }
}
