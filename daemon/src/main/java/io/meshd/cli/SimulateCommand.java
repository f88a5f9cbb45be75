package io.meshd.cli;

import io.meshd.cli.agent.DurationConverter;
import io.meshd.cli.agent.Profiles;
import io.meshd.gossip.GossipConfig;
import io.meshd.gossip.sim.Simulation;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code meshd simulate}: runs the real gossip protocol on a simulated network and prints how fast a crash is
 * detected, how fast an update spreads, how many healthy members were wrongly declared dead, and the load.
 */
@Command(name = "simulate", mixinStandardHelpOptions = true,
    description = "Predicts failure detection, dissemination, false positives and load for a cluster (virtual time).")
final class SimulateCommand implements Callable<Integer> {

    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    @Option(names = "--nodes", defaultValue = "100", description = "Cluster size (default: ${DEFAULT-VALUE}).")
    private int nodes;

    @Option(names = "--loss", defaultValue = "0", description = "Packet loss probability per packet, 0..1.")
    private double loss;

    @Option(names = "--slow", defaultValue = "0", description = "Fraction of slow members (events up to 800 ms late).")
    private double slow;

    @Option(names = "--seed", defaultValue = "1", description = "Random seed; the same seed replays the same run.")
    private long seed;

    @Option(names = "--duration", defaultValue = "60s", converter = DurationConverter.class,
        description = "Virtual time to simulate; the crash happens at 10 s (default: ${DEFAULT-VALUE}).")
    private Duration duration;

    @Option(names = "--profile", defaultValue = "lan", description = "Timing preset: lan, wan or local.")
    private String profile;

    @Override
    public Integer call() {
        GossipConfig.Builder cfg = Profiles.preset(profile).orElseThrow(() -> new CommandLine.ParameterException(
            spec.commandLine(), "--profile must be lan, wan or local, not '" + profile + "'"));
        Simulation sim;
        try {
            sim = Simulation.builder().nodes(nodes).loss(loss).slowFraction(slow).seed(seed).duration(duration)
                .config(cfg).build();
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
        }
        spec.commandLine().getOut().print(sim.run().format(true));
        spec.commandLine().getOut().flush();
        return 0;
    }
}
