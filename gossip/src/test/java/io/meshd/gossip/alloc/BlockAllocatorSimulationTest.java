package io.meshd.gossip.alloc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.meshd.gossip.GossipConfig;
import io.meshd.gossip.Member;
import io.meshd.gossip.MemberState;
import io.meshd.gossip.TableScopes;
import io.meshd.gossip.TestConfigs;
import io.meshd.gossip.sim.SimNetwork;
import io.meshd.gossip.sim.SimNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.SplittableRandom;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The real protocol on the simulator: 10 members with 10 % packet loss and jittered latency claim address blocks
 * within the same 100 ms. At every 50 ms of virtual time no slot is {@link BlockAllocator#settled} at two members
 * (a slot used is never used twice), and within the settle time plus a push-pull interval every member has a
 * settled slot, all distinct.
 */
class BlockAllocatorSimulationTest {

    private static final int MEMBERS = 10;
    private static final TableScopes TABLES = TableScopes.builder().cluster("ipam").build();

    static LongStream seeds() {
        return LongStream.rangeClosed(1, 12);
    }

    static Optional<String> neverSettledTwice(long seed, boolean waitToSettle) {
        SplittableRandom r = new SplittableRandom(seed);
        SimNetwork net = SimNetwork.create(seed).loss(0.1).latency(Duration.ofMillis(1), Duration.ofMillis(5));
        List<SimNode> nodes = new ArrayList<>();
        List<BlockAllocator> allocators = new ArrayList<>();
        for (int i = 0; i < MEMBERS; i++) {
            GossipConfig cfg = TestConfigs.fast().name("h" + r.nextInt(1000) + "-" + i).tables(TABLES).build();
            SimNode n = net.addNode(cfg);
            nodes.add(n);
            allocators.add(BlockAllocator.attach(n.gossip(), "ipam", "front", n.name(), MEMBERS + 2, net::nanoTime));
        }
        List<Member> all = new ArrayList<>();
        for (SimNode s : nodes) {
            all.add(Member.of(s.name(), s.address(), MemberState.ALIVE, 0));
        }
        for (SimNode s : nodes) {
            s.gossip().seedMembers(all);
        }
        long start = net.nanoTime() + Duration.ofSeconds(1).toNanos();
        for (BlockAllocator a : allocators) {
            net.at(start + r.nextInt(100_000_000), a::claim);
        }
        GossipConfig cfg = TestConfigs.fast().name("x").build();
        Duration settle = waitToSettle ? BlockAllocator.settleTime(cfg, MEMBERS) : Duration.ZERO;
        Duration max = Duration.ofSeconds(1).plus(BlockAllocator.settleTime(cfg, MEMBERS)).plus(cfg.pushPullInterval());
        String[] violation = {null};
        boolean done = net.runUntil(() -> {
            Map<Integer, String> used = new HashMap<>();
            for (BlockAllocator a : allocators) {
                OptionalInt s = a.settled(settle);
                if (s.isPresent()) {
                    String before = used.put(s.getAsInt(), a.claimant());
                    if (before != null && violation[0] == null) {
                        violation[0] = "slot " + s.getAsInt() + " settled at " + before + " and " + a.claimant()
                            + " at " + Duration.ofNanos(net.nanoTime());
                    }
                }
            }
            return violation[0] != null || used.size() == MEMBERS;
        }, Duration.ofMillis(50), max);
        if (violation[0] != null) {
            return Optional.of(violation[0]);
        }
        return done ? Optional.empty() : Optional.of("not every member settled within " + max);
    }

    @ParameterizedTest
    @MethodSource("seeds")
    void aSettledSlotIsNeverSettledAtTwoMembers(long seed) {
        assertEquals(Optional.empty(), neverSettledTwice(seed, true), "seed " + seed);
    }

    @Test
    void shouldCatchUsingASlotAsSoonAsItIsHeld() {
        // Without the settle time, concurrent claimants of one slot each use it until they hear of each other.
        assertTrue(seeds().anyMatch(seed -> neverSettledTwice(seed, false).isPresent()));
    }
}
