package io.meshd.gossip.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.meshd.gossip.internal.CodecException.Reason;
import io.meshd.gossip.internal.Message.TableUpdate;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Wire version 2 (the cluster bit) is written; version 1 is still read, where only the deleted bit exists. */
class MessageCodecVersionTest {

    private static byte[] packet(int version, int flags) {
        WireWriter part = new WireWriter(64);
        part.u8(MessageCodec.TABLE_UPDATE);
        part.string("networks");
        part.string("front");
        part.string("n1");
        part.varLong(5);
        part.u8(flags);
        part.bytes(flags % 2 == 1 ? new byte[0] : new byte[] {7});
        byte[] p = part.toBytes();
        WireWriter w = new WireWriter(64);
        w.u8(version);
        w.u8(1);
        w.u16(p.length);
        w.raw(p, 0, p.length);
        return w.toBytes();
    }

    private static TableUpdate decoded(int version, int flags) throws CodecException {
        List<Message> ms = MessageCodec.decodePacket(packet(version, flags));
        return (TableUpdate) ms.get(0);
    }

    @Test
    void shouldWriteVersionTwoWithTheClusterBit() {
        TableUpdate u = new TableUpdate("networks", "front", "n1", 5, true, true, new byte[0]);
        byte[] b = MessageCodec.packet(List.of(MessageCodec.part(u)));
        assertEquals(2, b[0]);
        assertEquals(packet(2, 3).length, b.length);
        assertEquals(List.of(u), assertDoesNotThrowDecode(b));
    }

    private static List<Message> assertDoesNotThrowDecode(byte[] b) {
        try {
            return MessageCodec.decodePacket(b);
        } catch (CodecException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void shouldReadVersionOneAsNodeScoped() throws CodecException {
        assertEquals(new TableUpdate("networks", "front", "n1", 5, false, false, new byte[] {7}), decoded(1, 0));
        assertEquals(new TableUpdate("networks", "front", "n1", 5, true, false, new byte[0]), decoded(1, 1));
    }

    @Test
    void shouldReadEveryFlagCombinationOfVersionTwo() throws CodecException {
        assertEquals(new TableUpdate("networks", "front", "n1", 5, false, true, new byte[] {7}), decoded(2, 2));
        assertEquals(new TableUpdate("networks", "front", "n1", 5, true, true, new byte[0]), decoded(2, 3));
    }

    @Test
    void shouldRefuseUnknownFlagsAndVersions() {
        assertEquals(Reason.OUT_OF_RANGE, assertThrows(CodecException.class, () -> decoded(1, 2)).reason());
        assertEquals(Reason.OUT_OF_RANGE, assertThrows(CodecException.class, () -> decoded(2, 4)).reason());
        assertEquals(Reason.BAD_VERSION, assertThrows(CodecException.class, () -> decoded(0, 0)).reason());
        assertEquals(Reason.BAD_VERSION, assertThrows(CodecException.class, () -> decoded(3, 0)).reason());
    }
}
