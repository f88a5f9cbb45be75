package io.meshd.cli;

import io.meshd.cli.agent.ConfigFile;
import io.meshd.cli.agent.ConfigPrinter;
import io.meshd.cli.agent.DurationConverter;
import io.meshd.cli.agent.HostPortConverter;
import io.meshd.cli.agent.LogFormat;
import io.meshd.cli.agent.LogLevels;
import io.meshd.cli.agent.Profiles;
import io.meshd.Mesh;
import io.meshd.MeshOptions;
import io.meshd.MeshShutdown;
import io.meshd.api.ApiRoutes;
import io.meshd.api.ApiServer;
import io.meshd.daemon.metrics.MetricsEndpoint;
import io.meshd.net.SocketAddresses;
import io.meshd.mesh.PublishedPortMetrics;
import io.meshd.net.metrics.MetricRegistry;
import io.meshd.gossip.GossipConfig;
import io.meshd.gossip.security.Keyring;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.Inet4Address;
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
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code meshd agent}: runs one {@link Mesh} node (gossip, VTEP, DNS responder, VIP load balancer) until SIGINT or
 * SIGTERM, which make it withdraw its endpoints, leave gracefully and remove the interfaces it made; with
 * {@code --live-restore} it keeps them instead, for the next start to take up ({@code --state-dir}, as after a
 * kill -9). Serves
 * the local HTTP/JSON API on a unix socket ({@link ApiServer}: the CLI's verbs, {@code meshd members}, {@code meshd
 * stats}), and optionally Prometheus metrics over HTTP. Needs no root until something is attached.
 *
 * <p>Every option is also a key of the {@code --config} YAML file ({@link ConfigFile}); the command line wins.
 * Everything is validated before anything starts: a bad value is a usage error (exit code 2).
 */
@Command(name = "agent", mixinStandardHelpOptions = true,
    description = {"Runs a mesh node: SWIM gossip membership and tables driving this host's VXLAN switch, DNS",
        "responders and VIP load balancer; serves the local HTTP/JSON API on a unix socket."})
final class AgentCommand implements Callable<Integer> {

    /** Where the API socket lives unless --socket says otherwise. */
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
        description = "The local API's unix socket, mode 0600 (default: ${DEFAULT-VALUE}).")
    private Path socket;

    @Option(names = "--vtep-address", paramLabel = "IP",
        description = "IPv4 address of this host's VTEP, reachable from the others (default: --advertise, else the "
            + "bind address unless it is a wildcard).")
    private String vtepAddress;

    @Option(names = "--vtep-port", defaultValue = "4789",
        description = "UDP port of the VTEP (default: ${DEFAULT-VALUE}; 0: any free port, for several agents on one "
            + "host).")
    private int vtepPort;

    @Option(names = "--domain", defaultValue = "", paramLabel = "NAME",
        description = "The cluster's DNS domain, answered authoritatively (default: none).")
    private String domain;

    @Option(names = "--upstream", converter = HostPortConverter.class, paramLabel = "ADDR:PORT",
        description = "Resolver for names outside the mesh; repeatable (default: none, such names get SERVFAIL).")
    private List<InetSocketAddress> upstream = new ArrayList<>();

    @Option(names = "--state-dir", defaultValue = "/var/lib/meshd", paramLabel = "DIR",
        description = "Where the node keeps NAME.state.json, its attachments, so that a restart (after kill -9 too) "
            + "takes them up again (default: ${DEFAULT-VALUE}).")
    private Path stateDir;

    @Option(names = "--live-restore",
        description = "On SIGTERM keep the attachments (interfaces stay in the containers) for the next start to take "
            + "up, as after a crash; default: withdraw the endpoints and remove every interface.")
    private boolean liveRestore;

    @Option(names = "--no-routing-mesh",
        description = "Do not answer services' published ports on this host (the routing mesh); default: answer them "
            + "on every address of the host, as root.")
    private boolean noRoutingMesh;

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

    @Option(names = "--log-format", converter = LogFormat.Converter.class, paramLabel = "FORMAT",
        description = "text (key=value fields) or json, one line per event (default: $MESHD_LOG_FORMAT, else text).")
    private LogFormat logFormat;

    /** Every metric source of this agent: the mesh's parts', the API's, and what else registers. */
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
        MeshOptions options = meshOptions(cfg, adv);
        if (logLevel != null) {
            logLevel.apply();
        }
        if (logFormat != null) {
            logFormat.apply();
        }
        Optional<MetricsEndpoint> endpoint = metricsEndpoint();
        Mesh mesh;
        try {
            mesh = Mesh.start(options);
        } catch (IllegalArgumentException e) {
            endpoint.ifPresent(MetricsEndpoint::close);
            throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
        } catch (RuntimeException e) {
            endpoint.ifPresent(MetricsEndpoint::close);
            spec.commandLine().getErr().println("cannot start the mesh node: " + e);
            return 1;
        }
        registerMetrics(mesh);
        ApiServer api;
        try {
            api = ApiServer.builder(socket, ApiRoutes.of(mesh, cfg.keyring(), registry)).start();
        } catch (IOException e) {
            mesh.close(MeshShutdown.KEEP_ATTACHMENTS); // what it took up stays for the next start
            endpoint.ifPresent(MetricsEndpoint::close);
            spec.commandLine().getErr().println("cannot listen on API socket " + socket + ": " + e);
            return 1;
        }
        registry.register(api.metrics());
        return run(cfg, mesh, api, endpoint);
    }

    /** The node's options; a bad or missing VTEP address is a usage error. */
    private MeshOptions meshOptions(GossipConfig cfg, Optional<InetAddress> adv) {
        InetAddress vtep;
        try {
            if (vtepAddress != null) {
                vtep = SocketAddresses.address(vtepAddress);
            } else if (adv.isPresent()) {
                vtep = adv.get();
            } else if (!bind.getAddress().isAnyLocalAddress()) {
                vtep = bind.getAddress();
            } else {
                throw new IllegalArgumentException("--bind " + ConfigPrinter.text(bind) + " is a wildcard: give "
                    + "--vtep-address or --advertise (the address other hosts reach this VTEP at)");
            }
            if (!(vtep instanceof Inet4Address v4)) {
                throw new IllegalArgumentException("the VTEP address must be IPv4, not " + vtep.getHostAddress()
                    + " (give --vtep-address)");
            }
            MeshOptions.Builder b = MeshOptions.builder().nodeName(name).gossipBind(bind).gossip(cfg)
                .vtepAddress(v4).vtepPort(vtepPort).clusterDomain(domain);
            adv.ifPresent(b::gossipAdvertise);
            join.forEach(b::seed);
            upstream.forEach(b::upstream);
            b.stateFile(stateFile()).routingMesh(!noRoutingMesh);
            if (join.isEmpty()) {
                b.syncTimeout(Duration.ZERO); // the first node: nobody to exchange state with yet
            }
            return b.build();
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), (vtepAddress != null
                && e.getMessage() != null && !e.getMessage().startsWith("--") ? "--vtep-address: " : "")
                + e.getMessage());
        }
    }

    /** The counters: gossip, refused values, DNS, the VTEP/switch/TAPs, the VIP load balancer, the routing mesh. */
    private void registerMetrics(Mesh mesh) {
        registry.register(mesh.parts().gossip().metrics());
        registry.register(mesh.refusedValues());
        registry.register(mesh.parts().dns().counters());
        registry.register(mesh.parts().vtep().metrics());
        registry.register(mesh.parts().hook().metrics());
        registry.register(new PublishedPortMetrics(mesh.parts().published()));
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

    private Integer run(GossipConfig cfg, Mesh mesh, ApiServer api, Optional<MetricsEndpoint> endpoint)
        throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        CountDownLatch stopped = new CountDownLatch(1);
        Thread hook = new Thread(() -> {
            try {
                api.close();
                // Leaves gracefully either way. Kept attachments: the others hide its endpoints until it returns
                // and takes them up from the state file; otherwise they are withdrawn and the interfaces removed.
                if (liveRestore) {
                    mesh.close(MeshShutdown.KEEP_ATTACHMENTS);
                } else {
                    mesh.close();
                }
            } finally {
                endpoint.ifPresent(MetricsEndpoint::close);
                stopped.countDown();
            }
        }, "meshd-leave");
        Runtime.getRuntime().addShutdownHook(hook);
        endpoint.ifPresent(e -> out.printf("metrics at http://%s/metrics%n", ConfigPrinter.text(e.address())));
        InetSocketAddress self = mesh.gossipAddress();
        out.printf("meshd agent %s gossiping on %s (UDP+TCP, %s), VTEP on %s:%d, API on unix socket %s%n", cfg.name(),
            self.getAddress().getHostAddress() + ":" + self.getPort(),
            cfg.keyring().isPresent() ? "encrypted" : "plaintext", mesh.parts().vtep().vtep().local()
                .getHostAddress(), mesh.parts().vtep().vtep().port(), api.path());
        out.flush();
        stopped.await();
        return 0;
    }
}
