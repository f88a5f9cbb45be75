package io.meshd.gossip.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.util.List;

/**
 * The wire decoder on arbitrary bytes: it refuses them with {@link CodecException} and nothing else, and whatever it
 * accepts encodes back to bytes that decode to the same messages.
 */
class MessageCodecFuzzTest {

    @FuzzTest
    void shouldDecodeCompoundPacketsOrRefuseThemWithCodecException(byte[] payload) {
        List<Message> ms;
        try {
            ms = MessageCodec.decodePacket(payload);
        } catch (CodecException refused) {
            return;
        }
        try {
            assertEquals(ms, MessageCodec.decodePacket(MessageGen.packet(ms)), "re-encoded packet");
        } catch (CodecException e) {
            throw new AssertionError("an accepted packet does not survive re-encoding", e);
        }
    }

    @FuzzTest
    void shouldDecodeStreamsOrRefuseThemWithCodecException(byte[] body) {
        Message m;
        try {
            m = MessageCodec.decodeStream(body);
        } catch (CodecException refused) {
            return;
        }
        try {
            assertEquals(m, MessageCodec.decodeStream(MessageCodec.stream(m)), "re-encoded stream");
        } catch (CodecException e) {
            throw new AssertionError("an accepted stream does not survive re-encoding", e);
        }
    }
}
