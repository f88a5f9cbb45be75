package io.meshd.cli;

import static io.meshd.cli.AgentProcesses.await;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.meshd.gossip.GossipConfig;
import io.meshd.harness.Lab;
import io.meshd.harness.LabHost;
import io.meshd.harness.LabProcess;
import io.meshd.harness.LabSegment;
import io.meshd.harness.RequiresLab;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Five agents in five lab hosts on one segment; the lab's nftables partition splits them 2 | 3, then heals. The
 * halves must declare each other dead, then merge again on their own (reconnect loop), converge their tables, and
 * stay merged.
 */
@RequiresLab(commands = {"nft"})
class GossipPartitionLabTest {

    private static final int HOSTS = 5;
    private static final List<Integer> ALL = List.of(0, 1, 2, 3, 4);

    @TempDir
    Path dir;

    private AgentProcesses agents;

    private boolean sees(int observer, List<Integer> members, String state) {
        Map<String, String> s = agents.states("h" + observer);
        for (int m : members) {
            if (!state.equals(s.get("h" + m))) {
                return false;
            }
        }
        return true;
    }

    private boolean allConverged() {
        for (int i = 0; i < HOSTS; i++) {
            if (!sees(i, ALL, "ALIVE") || agents.entries("h" + i, "test").size() != 2) {
                return false;
            }
        }
        return true;
    }

    /** Every agent's member states and test table, so a failure shows which observer lagged. */
    private String views() {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < HOSTS; i++) {
            b.append("\nh").append(i).append(": ").append(agents.states("h" + i)).append(' ')
                .append(agents.entries("h" + i, "test"));
        }
        return b.toString();
    }

    @Test
    void shouldMergeBothHalvesAfterAPartitionHealsAndConvergeTables() throws Exception {
        agents = new AgentProcesses(dir);
        try (Lab lab = Lab.create()) {
            List<LabHost> hosts = new ArrayList<>();
            for (int i = 0; i < HOSTS; i++) {
                hosts.add(lab.host("g" + i));
            }
            LabSegment segment = lab.segment("10.77.0.0/24", hosts.toArray(new LabHost[0]));
            String seed = segment.address(hosts.get(0)) + ":7946";
            for (int i = 0; i < HOSTS; i++) {
                List<String> join = i == 0 ? List.of() : List.of("--join", seed);
                LabProcess p = hosts.get(i).startProcess(agents.command("h" + i,
                    segment.address(hosts.get(i)) + ":7946", join).toArray(new String[0]));
                assertTrue(await(() -> AgentProcesses.gossipAddress(p.output()).isPresent() || !p.isAlive(),
                    Duration.ofSeconds(30)) && p.isAlive(), "agent h" + i + " started: " + p.output());
            }
            // A join is one stream (retried every reconnect interval); a member falsely declared dead while its JVM
            // warms up refutes within a detection-sized window.
            GossipConfig cfg = AgentProcesses.FAST_CONFIG;
            Duration formed = cfg.streamTimeout().plus(cfg.reconnectInterval()).plus(AgentProcesses.BOUND);
            // Every agent must know every other before the cut: one that never heard of a member cannot declare it
            // dead (a CI run cut the cluster while h1 had not yet heard of h3).
            assertTrue(await(() -> ALL.stream().allMatch(i -> sees(i, ALL, "ALIVE")), formed),
                "cluster formed within " + formed + ": " + views());

            List<Integer> left = List.of(0, 1);
            List<Integer> right = List.of(2, 3, 4);
            long cut = System.nanoTime();
            lab.partition(hosts.subList(0, 2), hosts.subList(2, 5));
            // Every member of the other half is unreachable at once: the crash-to-dead bound applies to each.
            assertTrue(await(() -> sees(0, right, "DEAD") && sees(1, right, "DEAD") && sees(2, left, "DEAD")
                && sees(3, left, "DEAD") && sees(4, left, "DEAD"), AgentProcesses.BOUND),
                "each half declares the other dead within " + AgentProcesses.BOUND + ": " + views());
            System.out.println("each half declared the other dead in "
                + TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - cut) + " ms (bound " + AgentProcesses.BOUND + ")");
            agents.put("h1", "test", "left", "10.77.0.2:80");
            agents.put("h3", "test", "right", "10.77.0.4:80");

            long healed = System.nanoTime();
            lab.heal();
            // A reconnect attempt crosses the healed cut within one reconnect interval; its push-pull makes each
            // side suspect the other, which refutes, and the refutations spread like any news (the same bound as a
            // detection covers probing, suspicion and dissemination), plus one push-pull for the tables.
            Duration mergeBound = cfg.reconnectInterval().plus(cfg.streamTimeout()).plus(cfg.pushPullInterval())
                .plus(AgentProcesses.BOUND);
            assertTrue(await(this::allConverged, mergeBound), "halves merged, tables converged within " + mergeBound
                + ": " + views());
            System.out.println("partition healed and converged in "
                + TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - healed) + " ms (bound " + mergeBound + ")");
            // Stays merged for two push-pull rounds: a lasting split would show as a member leaving ALIVE again.
            long until = System.nanoTime() + cfg.pushPullInterval().multipliedBy(2).toNanos();
            while (System.nanoTime() < until) {
                assertTrue(allConverged(), "no lasting split: " + views());
            }
        }
    }
}
