package io.meshd.gossip.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.meshd.gossip.MemberState;
import io.meshd.gossip.internal.Message.Ack;
import io.meshd.gossip.internal.Message.Alive;
import io.meshd.gossip.internal.Message.Dead;
import io.meshd.gossip.internal.Message.IndirectPing;
import io.meshd.gossip.internal.Message.MemberRecord;
import io.meshd.gossip.internal.Message.Nack;
import io.meshd.gossip.internal.Message.Ping;
import io.meshd.gossip.internal.Message.PushPull;
import io.meshd.gossip.internal.Message.Suspect;
import io.meshd.gossip.internal.Message.TableUpdate;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

class CodecPropertyTest {

    @Provide
    Arbitrary<Message> messages() {
        Arbitrary<String> names = Arbitraries.strings().alpha().numeric().withChars("-_.\u00e9\u4e16").ofMaxLength(20);
        Arbitrary<Long> nums = Arbitraries.longs().between(0, Long.MAX_VALUE);
        Arbitrary<InetSocketAddress> addrs = Combinators.combine(Arbitraries.integers().between(0, 255),
            Arbitraries.integers().between(0, 65535)).as((o, p) -> new InetSocketAddress("10.0.0." + o, p));
        Arbitrary<TableUpdate> updates = Combinators.combine(names, names, names, nums, Arbitraries.of(true, false),
            Arbitraries.bytes().array(byte[].class).ofMaxSize(64)).as(TableUpdate::new);
        Arbitrary<MemberRecord> records = Combinators.combine(names, addrs, nums,
            Arbitraries.of(MemberState.class)).as(MemberRecord::new);
        return Arbitraries.oneOf(
            Combinators.combine(nums, names, names, addrs).as(Ping::new),
            Combinators.combine(nums, names, addrs, Arbitraries.of(true, false), names, addrs).as(IndirectPing::new),
            nums.map(Ack::new), nums.map(Nack::new),
            Combinators.combine(names, addrs, nums).as(Alive::new),
            Combinators.combine(names, nums, names).as(Suspect::new),
            Combinators.combine(names, nums, names).as(Dead::new),
            updates.map(m -> (Message) m),
            Combinators.combine(Arbitraries.of(true, false), records.list().ofMaxSize(5), updates.list().ofMaxSize(5))
                .as(PushPull::new));
    }

    @Provide
    Arbitrary<List<Message>> compounds() {
        return messages().list().ofMinSize(1).ofMaxSize(8);
    }

    @Property
    void everyMessageRoundTripsThroughAStream(@ForAll("messages") Message m) throws CodecException {
        assertEquals(m, MessageCodec.decodeStream(MessageCodec.stream(m)));
    }

    @Property
    void everyCompoundRoundTripsThroughAPacket(@ForAll("compounds") List<Message> ms)
        throws CodecException {
        List<byte[]> parts = new ArrayList<>();
        for (Message m : ms) {
            parts.add(MessageCodec.part(m));
        }
        assertEquals(ms, MessageCodec.decodePacket(MessageCodec.packet(parts)));
    }

    private static void decodeBoth(byte[] b) {
        try {
            MessageCodec.decodePacket(b);
        } catch (CodecException expected) {
            // the only way to fail
        }
        try {
            MessageCodec.decodeStream(b);
        } catch (CodecException expected) {
            // the only way to fail
        }
    }

    @Property
    void randomBytesOnlyEverFailWithCodecException(@ForAll @Size(max = 300) byte[] junk) {
        decodeBoth(junk);
        byte[] versioned = junk.clone();
        if (versioned.length > 0) {
            versioned[0] = MessageCodec.VERSION;
        }
        decodeBoth(versioned);
    }

    @Property
    void mutatedMessagesOnlyEverFailWithCodecException(@ForAll("messages") Message m,
                                                       @ForAll @IntRange(min = 0, max = 10_000) int where,
                                                       @ForAll byte value, @ForAll @IntRange(max = 40) int cut) {
        byte[] packet = MessageCodec.packet(List.of(MessageCodec.part(m)));
        byte[] stream = MessageCodec.stream(m);
        for (byte[] b : List.of(packet, stream)) {
            byte[] mutated = b.clone();
            mutated[where % mutated.length] = value;
            decodeBoth(mutated);
            decodeBoth(java.util.Arrays.copyOf(b, Math.max(0, b.length - cut)));
        }
    }
}
