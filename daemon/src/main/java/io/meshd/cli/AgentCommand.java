package io.meshd.cli;

import io.meshd.cli.agent.ConfigFile;
import io.meshd.cli.agent.ConfigPrinter;
import io.meshd.cli.agent.ControlServer;
import io.meshd.cli.agent.DurationConverter;
import io.meshd.cli.agent.HostPortConverter;
import io.meshd.cli.agent.LogLevels;
import io.meshd.cli.agent.Profiles;
import io.meshd.daemon.metrics.MetricsEndpoint;
import io.meshd.net.SocketAddresses;
import io.meshd.net.metrics.MetricRegistry;
import io.meshd.gossip.GossipConfig;
import io.meshd.gossip.GossipNode;
import io.meshd.gossip.netty.NettyGossip;
import io.meshd.gossip.security.Keyring;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code meshd agent}: runs one gossip member until SIGINT or SIGTERM, which make it leave gracefully. Answers
 * {@code meshd members}, {@code meshd stats} and friends on a local unix socket, and optionally serves Prometheus
 * metrics over HTTP. Needs no root while no data plane is configured.
 *
 * <p>Every option is also a key of the {@code --config} YAML file ({@link ConfigFile}); the command line wins.
 * Everything is validated before anything starts: a bad value is a usage error (exit code 2).
 */
@Command(name = "agent", mixinStandardHelpOptions = true,
    description = {"Runs a cluster member: SWIM gossip membership and replicated tables, answering on a unix socket.",
        "It does not yet drive the VTEP or the DNS responder from its tables (planned)."})
final class AgentCommand implements Callable<Integer> {

    /** Where the control socket lives unless --socket says otherwise. */
    static final String DEFAULT_SOCKET = "/run/meshd/meshd.sock";

    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    @Option(names = "--config", paramLabel = "FILE",
        description = "YAML file whose keys are these options' long names (name: a1, probe-interval: 1s); "
            + "options on the command line win.")
    private Path configFile;

    @Option(names = "--print-config",
        description = "Print the effective configuration (file and options) as YAML for --config, then exit.")
    private boolean printConfig;

    @Option(names = "--name", description = "Unique, stable member name (its identity). Required.")
    private String name;

    @Option(names = "--bind", converter = HostPortConverter.class,
        description = "ADDR:PORT for gossip UDP and TCP (port 0: any free port). Required.")
    private InetSocketAddress bind;

    @Option(names = "--advertise",
        description = "IP address other members should use (default: the bind address).")
    private String advertise;

    @Option(names = "--join", converter = HostPortConverter.class,
        description = "ADDR:PORT of a member to join through; repeatable. Also retried to heal partitions.")
    private List<InetSocketAddress> join = new ArrayList<>();

    @Option(names = "--key-file",
        description = "File with base64 AES keys, one per line, the first is used to send (enables encryption).")
    private Path keyFile;

    @Option(names = "--label", defaultValue = "", description = "Cluster label: members with other labels never talk.")
    private String label;

    @Option(names = "--socket", defaultValue = DEFAULT_SOCKET,
        description = "Control socket path (default: ${DEFAULT-VALUE}).")
    private Path socket;

    @Option(names = "--state-dir", defaultValue = "/var/lib/meshd", paramLabel = "DIR",
        description = "Where the node keeps NAME.state.json, its attachments, so that a restart (after kill -9 too) "
            + "takes them up again (default: ${DEFAULT-VALUE}).")
    private Path stateDir;

    @Option(names = "--profile", defaultValue = "lan",
        description = "Timing preset: lan, wan or local (default: ${DEFAULT-VALUE}).")
    private String profile;

    @Option(names = "--probe-interval", converter = DurationConverter.class, description = "Override the preset.")
    private Duration probeInterval;

    @Option(names = "--probe-timeout", converter = DurationConverter.class, description = "Override the preset.")
    private Duration probeTimeout;

    @Option(names = "--gossip-interval", converter = DurationConverter.class, description = "Override the preset.")
    private Duration gossipInterval;

    @Option(names = "--suspicion-mult", description = "Override the preset.")
    private Integer suspicionMult;

    @Option(names = "--push-pull-interval", converter = DurationConverter.class, description = "Override the preset.")
    private Duration pushPullInterval;

    @Option(names = "--reconnect-interval", converter = DurationConverter.class, description = "Override the preset.")
    private Duration reconnectInterval;

    @Option(names = "--metrics", converter = HostPortConverter.class, paramLabel = "ADDR:PORT",
        description = "Serve Prometheus metrics at http://ADDR:PORT/metrics (default: off; port 0: any free port).")
    private InetSocketAddress metrics;

    @Option(names = "--log-level", converter = LogLevels.Converter.class, paramLabel = "LEVEL",
        description = "error, warn, info or debug (default: $MESHD_LOG_LEVEL, else warn).")
    private LogLevels logLevel;

    /** The node's state file: {@code <state-dir>/<name>.state.json}. */
    Path stateFile() {
        return stateDir.resolve(name + ".state.json");
    }

    /** Every metric source of this agent: the gossip node's, the control socket's, and what else registers. */
    private final MetricRegistry registry = new MetricRegistry();

    private GossipConfig config() {
        if (name == null || bind == null) {
            String key = name == null ? "name" : "bind";
            throw new CommandLine.ParameterException(spec.commandLine(), "missing --" + key + " (an option, or the key "
                + key + " in the --config file)");
        }
        GossipConfig.Builder b = Profiles.preset(profile).orElseThrow(() -> new CommandLine.ParameterException(
            spec.commandLine(), "--profile must be lan, wan or local, not '" + profile + "'"));
        if (probeInterval != null) {
            b.probeInterval(probeInterval);
        }
        if (probeTimeout != null) {
            b.probeTimeout(probeTimeout);
        }
        if (gossipInterval != null) {
            b.gossipInterval(gossipInterval);
        }
        if (pushPullInterval != null) {
            b.pushPullInterval(pushPullInterval);
        }
        if (reconnectInterval != null) {
            b.reconnectInterval(reconnectInterval);
        }
        try {
            if (suspicionMult != null) {
                b.suspicionMult(suspicionMult);
            }
            b.name(name).seeds(join).label(label);
            if (keyFile != null) {
                b.keyring(Keyring.parse(Files.readString(keyFile, StandardCharsets.UTF_8)));
            }
            return b.build();
        } catch (IllegalArgumentException | IOException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
        }
    }

    @Override
    public Integer call() throws Exception {
        if (configFile != null) {
            ConfigFile.apply(configFile, spec, AgentCommand::new);
        }
        if (printConfig) {
            spec.commandLine().getOut().print(ConfigPrinter.yaml(spec));
            spec.commandLine().getOut().flush();
            return 0;
        }
        GossipConfig cfg = config();
        Optional<InetAddress> adv;
        try {
            adv = advertise == null ? Optional.empty() : Optional.of(SocketAddresses.address(advertise));
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--advertise: " + e.getMessage());
        }
        if (logLevel != null) {
            logLevel.apply();
        }
        Optional<MetricsEndpoint> endpoint = metricsEndpoint();
        GossipNode node;
        try {
            node = NettyGossip.start(cfg, bind, adv);
        } catch (IllegalArgumentException e) {
            endpoint.ifPresent(MetricsEndpoint::close);
            throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
        }
        registry.register(node.metrics());
        ControlServer control;
        try {
            control = ControlServer.start(node, cfg.keyring(), socket, registry);
        } catch (IOException e) {
            node.shutdown();
            endpoint.ifPresent(MetricsEndpoint::close);
            spec.commandLine().getErr().println("cannot listen on control socket " + socket + ": " + e);
            return 1;
        }
        registry.register(control.metrics());
        return run(cfg, node, control, endpoint);
    }

    /** Serves {@link #registry} if --metrics asks; a bind failure is a usage error, before anything else starts. */
    private Optional<MetricsEndpoint> metricsEndpoint() {
        if (metrics == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(MetricsEndpoint.start(metrics, registry));
        } catch (IOException | RuntimeException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--metrics: cannot serve on "
                + ConfigPrinter.text(metrics) + ": " + e.getMessage());
        }
    }

    private Integer run(GossipConfig cfg, GossipNode node, ControlServer control, Optional<MetricsEndpoint> endpoint)
        throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        CountDownLatch stopped = new CountDownLatch(1);
        Thread hook = new Thread(() -> {
            try {
                node.leave(Duration.ofSeconds(3)).get(5, TimeUnit.SECONDS);
            } catch (Exception e) {
                node.shutdown();
            } finally {
                control.close();
                endpoint.ifPresent(MetricsEndpoint::close);
                stopped.countDown();
            }
        }, "meshd-leave");
        Runtime.getRuntime().addShutdownHook(hook);
        endpoint.ifPresent(e -> out.printf("metrics at http://%s/metrics%n", ConfigPrinter.text(e.address())));
        var self = node.member(cfg.name()).orElseThrow();
        out.printf("meshd agent %s gossiping on %s (UDP+TCP, %s), control socket %s%n", cfg.name(),
            self.address().getAddress().getHostAddress() + ":" + self.address().getPort(),
            cfg.keyring().isPresent() ? "encrypted" : "plaintext", socket);
        out.flush();
        if (!join.isEmpty()) {
            int answered = node.join(join).get(cfg.streamTimeout().toMillis() * 2 + 1000, TimeUnit.MILLISECONDS);
            out.printf("joined through %d of %d seeds%s%n", answered, join.size(),
                answered == 0 ? " (will keep retrying)" : "");
            out.flush();
        }
        stopped.await();
        return 0;
    }
}
