package io.meshd.gossip.internal;

import io.meshd.gossip.MemberState;
import java.net.InetSocketAddress;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/** Every message of the gossip protocol; {@link MessageCodec} gives each one its wire form. */
public sealed interface Message {

    /** Direct probe: "are you {@code target}?". Answered with an {@link Ack} to {@code sourceAddress}. */
    record Ping(long seq, String target, String source, InetSocketAddress sourceAddress) implements Message {
    }

    /** Asks the receiver to probe {@code target} on behalf of {@code source}, and to nack if it gets no ack. */
    record IndirectPing(long seq, String target, InetSocketAddress targetAddress, boolean wantNack, String source,
                        InetSocketAddress sourceAddress) implements Message {
    }

    /** Answer to a ping with the same sequence number. */
    record Ack(long seq) implements Message {
    }

    /** An indirect prober did not hear from the target (Lifeguard: tells the requester it is not the slow one). */
    record Nack(long seq) implements Message {
    }

    /** {@code node} is alive at {@code incarnation}; only the node itself originates this. */
    record Alive(String node, InetSocketAddress address, long incarnation) implements Message {
    }

    /** {@code from} suspects {@code node} at {@code incarnation}. */
    record Suspect(String node, long incarnation, String from) implements Message {
    }

    /** {@code from} declares {@code node} dead at {@code incarnation}; {@code from == node} means it left. */
    record Dead(String node, long incarnation, String from) implements Message {
    }

    /**
     * One version of one table entry; {@code deleted} marks a tombstone, {@code cluster} a version of a
     * cluster-scoped table (visible whether or not its owner is alive).
     */
    record TableUpdate(String table, String key, String owner, long clock, boolean deleted, boolean cluster,
        byte[] value) implements Message {

        /** A version of a node-scoped table. */
        TableUpdate(String table, String key, String owner, long clock, boolean deleted, byte[] value) {
            this(table, key, owner, clock, deleted, false, value);
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof TableUpdate u && table.equals(u.table) && key.equals(u.key)
                && owner.equals(u.owner) && clock == u.clock && deleted == u.deleted && cluster == u.cluster
                && Arrays.equals(value, u.value);
        }

        @Override
        public int hashCode() {
            return Objects.hash(table, key, owner, clock, deleted, cluster) * 31 + Arrays.hashCode(value);
        }

        @Override
        public String toString() {
            return "TableUpdate[" + table + "/" + key + " owner=" + owner + " clock=" + clock + " deleted="
                + deleted + (cluster ? " cluster" : "") + " value=" + value.length + "B]";
        }
    }

    /** Full state, sent over a stream on join and periodically (anti-entropy). */
    record PushPull(boolean join, List<MemberRecord> members, List<TableUpdate> entries) implements Message {
    }

    /** One member in a {@link PushPull}. */
    record MemberRecord(String name, InetSocketAddress address, long incarnation, MemberState state) {
    }
}
