package io.meshd.gossip.alloc;

import io.meshd.gossip.internal.Message.TableUpdate;
import io.meshd.gossip.internal.TableStore;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;

/**
 * A deterministic model of a cluster for {@link BlockAllocator}: every simulated member has a real
 * {@link TableStore} replica and an allocator over it; every write goes to every other member as a message, and
 * messages are delivered one at a time in an order (with duplicates) drawn from a seeded random source, as gossip
 * and push-pull may deliver them. A delivery that changes a replica makes that member's allocator re-evaluate.
 */
final class ClaimModel {

    static final String TABLE = "ipam";
    private static final int MAX_STEPS = 1_000_000;

    private record Msg(int to, TableUpdate update) {
    }

    private final SplittableRandom random;
    private final List<String> names;
    private final List<TableStore> stores = new ArrayList<>();
    private final List<BlockAllocator> allocators = new ArrayList<>();
    private final List<Msg> inFlight = new ArrayList<>();
    private long now;

    ClaimModel(SplittableRandom random, List<String> names, int slots, WinnerRule rule) {
        this.random = random;
        this.names = List.copyOf(names);
        for (int i = 0; i < names.size(); i++) {
            TableStore store = new TableStore(names.get(i), o -> true, e -> { });
            stores.add(store);
            allocators.add(BlockAllocator.create(table(i), "front", names.get(i), slots, rule));
        }
    }

    private ClaimTable table(int i) {
        return new ClaimTable() {
            @Override
            public Map<String, byte[]> entries() {
                return stores.get(i).entries(TABLE);
            }

            @Override
            public void put(String key, byte[] value) {
                send(i, stores.get(i).put(TABLE, key, value, true, now));
            }

            @Override
            public boolean delete(String key) {
                Optional<TableUpdate> u = stores.get(i).delete(TABLE, key, true, now);
                u.ifPresent(v -> send(i, v));
                return u.isPresent();
            }
        };
    }

    private void send(int from, TableUpdate u) {
        for (int j = 0; j < names.size(); j++) {
            if (j != from) {
                inFlight.add(new Msg(j, u));
                if (random.nextInt(8) == 0) {
                    inFlight.add(new Msg(j, u));
                }
            }
        }
    }

    /**
     * Every member claims once, at a random moment among the deliveries; runs until nothing is in flight. False if
     * it did not settle within the step limit.
     */
    boolean run() {
        List<Integer> claimers = new ArrayList<>();
        for (int i = 0; i < names.size(); i++) {
            claimers.add(i);
        }
        for (int step = 0; step < MAX_STEPS; step++) {
            boolean claimNow = !claimers.isEmpty() && (inFlight.isEmpty() || random.nextInt(4) == 0);
            if (claimNow) {
                int who = claimers.remove(random.nextInt(claimers.size()));
                allocators.get(who).claim();
            } else if (!inFlight.isEmpty()) {
                int pick = random.nextInt(inFlight.size());
                Msg m = inFlight.get(pick);
                inFlight.set(pick, inFlight.get(inFlight.size() - 1));
                inFlight.remove(inFlight.size() - 1);
                now++;
                if (stores.get(m.to()).apply(m.update(), now)) {
                    allocators.get(m.to()).reevaluate();
                }
            } else {
                return true;
            }
        }
        return false;
    }

    List<String> names() {
        return names;
    }

    BlockAllocator allocator(int i) {
        return allocators.get(i);
    }

    Map<String, byte[]> replica(int i) {
        return stores.get(i).entries(TABLE);
    }
}
