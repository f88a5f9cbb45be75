package io.meshd.gossip.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.meshd.gossip.Seeds;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The wire codec over seeded random messages: every message and compound packet round-trips, and random or damaged
 * bytes only ever fail with {@link CodecException}. The mutant tests run the same checks against broken codecs.
 */
class CodecPropertyTest {

    /** A decoder under test. */
    @FunctionalInterface
    interface Decoder {
        Object decode(byte[] b) throws CodecException;
    }

    /** The violation, if decoding {@code b} fails any other way than with {@link CodecException}. */
    static Optional<String> onlyCodecException(Decoder d, byte[] b) {
        try {
            d.decode(b);
            return Optional.empty();
        } catch (CodecException expected) {
            return Optional.empty();
        } catch (RuntimeException e) {
            return Optional.of(e + " decoding " + Arrays.toString(b));
        }
    }

    /** Random bytes, the same with a valid version byte, one byte changed, and cut short: all refused cleanly. */
    static Optional<String> damagedInputFailsCleanly(Decoder d, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        byte[] junk = new byte[r.nextInt(301)];
        r.nextBytes(junk);
        byte[] versioned = junk.clone();
        if (versioned.length > 0) {
            versioned[0] = MessageCodec.VERSION;
        }
        Message m = MessageGen.message(r);
        byte[] packet = MessageGen.packet(List.of(m));
        byte[] mutated = packet.clone();
        mutated[r.nextInt(mutated.length)] = (byte) r.nextInt(256);
        byte[] cut = Arrays.copyOf(packet, Math.max(0, packet.length - 1 - r.nextInt(40)));
        for (byte[] b : List.of(junk, versioned, mutated, cut)) {
            Optional<String> v = onlyCodecException(d, b);
            if (v.isPresent()) {
                return v;
            }
        }
        return Optional.empty();
    }

    /** The violation, if a seeded message does not come back equal from {@code encode} then {@code decode}. */
    static Optional<String> roundTrips(Function<Message, byte[]> encode, Decoder decode, long seed) {
        Message m = MessageGen.message(new SplittableRandom(seed));
        try {
            Object back = decode.decode(encode.apply(m));
            return m.equals(back) ? Optional.empty() : Optional.of(m + " came back as " + back);
        } catch (CodecException e) {
            return Optional.of(m + " failed to decode: " + e.getMessage());
        }
    }

    @ParameterizedTest
    @MethodSource("io.meshd.gossip.Seeds#seeds")
    void everyMessageRoundTripsThroughAStream(long seed) {
        assertEquals(Optional.empty(), roundTrips(MessageCodec::stream, MessageCodec::decodeStream, seed),
            Seeds.replay(seed));
    }

    @ParameterizedTest
    @MethodSource("io.meshd.gossip.Seeds#seeds")
    void everyCompoundRoundTripsThroughAPacket(long seed) throws CodecException {
        List<Message> ms = MessageGen.compound(new SplittableRandom(seed));
        assertEquals(ms, MessageCodec.decodePacket(MessageGen.packet(ms)), Seeds.replay(seed));
    }

    @ParameterizedTest
    @MethodSource("io.meshd.gossip.Seeds#seeds")
    void damagedPacketsOnlyEverFailWithCodecException(long seed) {
        assertEquals(Optional.empty(), damagedInputFailsCleanly(MessageCodec::decodePacket, seed), Seeds.replay(seed));
        assertEquals(Optional.empty(), damagedInputFailsCleanly(MessageCodec::decodeStream, seed), Seeds.replay(seed));
    }

    @Test
    void shouldCatchADecoderThatTrustsTheLengthItReads() {
        // Reads the part count and indexes the array by it without a bounds check.
        Decoder trusting = b -> b.length > 1 ? b[2 + (b[1] & 0xff)] : null;
        assertTrue(Seeds.seeds().anyMatch(seed -> damagedInputFailsCleanly(trusting, seed).isPresent()));
    }

    @Test
    void shouldCatchAnEncoderThatLosesAField() {
        // Drops the sequence number of acks.
        Function<Message, byte[]> lossy = m -> MessageCodec.stream(m instanceof Message.Ack ? new Message.Ack(0) : m);
        assertTrue(Seeds.seeds().anyMatch(seed -> roundTrips(lossy, MessageCodec::decodeStream, seed).isPresent()));
    }
}
