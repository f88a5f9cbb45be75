package io.meshd.gossip.internal;

import io.meshd.gossip.internal.Message.TableUpdate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

class TablePropertyTest {

    @Provide
    Arbitrary<List<TableUpdate>> versions() {
        return Combinators.combine(Arbitraries.of("k1", "k2", "k3"), Arbitraries.of("a", "b", "c"),
            Arbitraries.longs().between(1, 20), Arbitraries.of(true, false), Arbitraries.bytes())
            .as((k, o, c, d, v) -> new TableUpdate("t", k, o, c, d, d ? new byte[0] : new byte[] {v}))
            .list().ofMaxSize(30);
    }

    private static TableStore replay(List<TableUpdate> order) {
        TableStore s = new TableStore("me", o -> true, e -> { });
        for (TableUpdate u : order) {
            s.apply(u, 0);
        }
        return s;
    }

    private static boolean same(Map<String, byte[]> a, Map<String, byte[]> b) {
        if (!a.keySet().equals(b.keySet())) {
            return false;
        }
        for (String k : a.keySet()) {
            if (!java.util.Arrays.equals(a.get(k), b.get(k))) {
                return false;
            }
        }
        return true;
    }

    @Property
    boolean anyDeliveryOrderConvergesToTheSameTable(@ForAll("versions") List<TableUpdate> vs, @ForAll long seed) {
        List<TableUpdate> shuffled = new ArrayList<>(vs);
        Collections.shuffle(shuffled, new Random(seed));
        List<TableUpdate> duplicated = new ArrayList<>(vs);
        duplicated.addAll(shuffled);
        return same(replay(vs).entries("t"), replay(shuffled).entries("t"))
            && same(replay(vs).entries("t"), replay(duplicated).entries("t"));
    }

    @Property
    boolean theHighestClockOwnerPairWinsEveryKey(@ForAll("versions") List<TableUpdate> vs) {
        TableStore s = replay(vs);
        for (String key : List.of("k1", "k2", "k3")) {
            TableUpdate best = null;
            for (TableUpdate u : vs) {
                if (u.key().equals(key) && (best == null || TableStore.compare(u, best) > 0)) {
                    best = u;
                }
            }
            boolean visible = s.get("t", key).isPresent();
            if (best == null ? visible : best.deleted() == visible) {
                return false;
            }
        }
        return true;
    }

    @Property
    boolean hidingAndRestoringNeverLosesAnEntry(@ForAll("versions") List<TableUpdate> vs) {
        java.util.Set<String> down = new java.util.HashSet<>();
        TableStore s = new TableStore("me", o -> !down.contains(o), e -> { });
        for (TableUpdate u : vs) {
            s.apply(u, 0);
        }
        Map<String, byte[]> before = s.entries("t");
        down.add("a");
        s.ownerChanged("a", false);
        for (byte[] v : s.entries("t").values()) {
            if (v == null) {
                return false;
            }
        }
        down.remove("a");
        s.ownerChanged("a", true);
        return same(before, s.entries("t"));
    }
}
