package io.meshd.gossip.internal;

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
import java.util.SplittableRandom;

/** Random messages of every type for seeded property tests and fuzz seed corpora. */
final class MessageGen {

    private static final String CHARS = "abcXYZ019-_.\u00e9\u4e16";

    private MessageGen() {
    }

    static String name(SplittableRandom r) {
        StringBuilder b = new StringBuilder();
        int n = r.nextInt(21);
        for (int i = 0; i < n; i++) {
            b.append(CHARS.charAt(r.nextInt(CHARS.length())));
        }
        return b.toString();
    }

    static long num(SplittableRandom r) {
        return r.nextBoolean() ? r.nextLong(1000) : r.nextLong(Long.MAX_VALUE);
    }

    static InetSocketAddress addr(SplittableRandom r) {
        return new InetSocketAddress("10.0.0." + r.nextInt(256), r.nextInt(65536));
    }

    static TableUpdate update(SplittableRandom r) {
        byte[] v = new byte[r.nextInt(65)];
        r.nextBytes(v);
        return new TableUpdate(name(r), name(r), name(r), num(r), r.nextBoolean(), r.nextBoolean(), v);
    }

    static Message message(SplittableRandom r) {
        switch (r.nextInt(9)) {
            case 0:
                return new Ping(num(r), name(r), name(r), addr(r));
            case 1:
                return new IndirectPing(num(r), name(r), addr(r), r.nextBoolean(), name(r), addr(r));
            case 2:
                return new Ack(num(r));
            case 3:
                return new Nack(num(r));
            case 4:
                return new Alive(name(r), addr(r), num(r));
            case 5:
                return new Suspect(name(r), num(r), name(r));
            case 6:
                return new Dead(name(r), num(r), name(r));
            case 7:
                return update(r);
            default:
                return pushPull(r);
        }
    }

    static PushPull pushPull(SplittableRandom r) {
        List<MemberRecord> ms = new ArrayList<>();
        List<TableUpdate> us = new ArrayList<>();
        MemberState[] states = MemberState.values();
        for (int i = r.nextInt(6); i > 0; i--) {
            ms.add(new MemberRecord(name(r), addr(r), num(r), states[r.nextInt(states.length)]));
        }
        for (int i = r.nextInt(6); i > 0; i--) {
            us.add(update(r));
        }
        return new PushPull(r.nextBoolean(), ms, us);
    }

    /** One to eight messages, as a compound packet carries them. */
    static List<Message> compound(SplittableRandom r) {
        List<Message> out = new ArrayList<>();
        for (int i = 1 + r.nextInt(8); i > 0; i--) {
            out.add(message(r));
        }
        return out;
    }

    static byte[] packet(List<Message> ms) {
        List<byte[]> parts = new ArrayList<>();
        for (Message m : ms) {
            parts.add(MessageCodec.part(m));
        }
        return MessageCodec.packet(parts);
    }
}
