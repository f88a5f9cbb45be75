package io.meshd.cli;

import io.meshd.dns.DnsServer;
import io.meshd.net.SocketAddresses;
import io.meshd.dns.Upstreams;
import io.meshd.dns.records.LiveRecordSource;
import io.meshd.dns.records.MeshNetwork;
import io.meshd.dns.records.RecordsFile;
import io.meshd.dns.records.RecordsFileException;
import io.meshd.dns.records.SourceSettings;
import io.meshd.shims.NativeException;
import io.meshd.shims.NetNs;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code meshd dns}: serves a YAML records file as the mesh's DNS responder until SIGTERM. */
@Command(name = "dns", mixinStandardHelpOptions = true,
    description = "Serves the names of a records file (see docs/dns.md) over UDP and TCP, scoped to the named "
        + "networks, and forwards every other name to upstream resolvers. Runs until SIGTERM or Ctrl-C.")
final class DnsCommand implements Callable<Integer> {

    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    @Option(names = "--listen", paramLabel = "ADDR:PORT",
        description = "Address to answer on, UDP and TCP (repeatable), e.g. 127.0.0.11:53 or [::1]:5353; with "
            + "--netns, the addresses inside each namespace (default there: 127.0.0.11:53).")
    private List<String> listen = new ArrayList<>();

    @Option(names = "--records", required = true, paramLabel = "FILE", description = "The YAML records file.")
    private Path records;

    @Option(names = "--network", paramLabel = "NAME",
        description = "A network the queriers are attached to (repeatable); default: every network in the file.")
    private List<String> networks = new ArrayList<>();

    @Option(names = "--upstream", paramLabel = "ADDR[:PORT]",
        description = "Resolver for names outside the mesh (repeatable, tried in order); default: the "
            + "nameservers of /etc/resolv.conf except our own addresses and 127.0.0.11.")
    private List<String> upstreams = new ArrayList<>();

    @Option(names = "--domain", paramLabel = "D", description = "Cluster domain served authoritatively, e.g. mesh.")
    private String domain = "";

    @Option(names = "--ttl", paramLabel = "S",
        description = "TTL of the answers in seconds (default: ${DEFAULT-VALUE}).")
    private int ttl = SourceSettings.DEFAULT_TTL;

    @Option(names = "--forward-timeout", paramLabel = "MS",
        description = "Milliseconds to wait for each upstream (default: ${DEFAULT-VALUE}).")
    private long forwardTimeoutMillis = 2000;

    @Option(names = "--netns", paramLabel = "NAME[=NET,NET]",
        description = "Answer inside this network namespace (as made by 'ip netns add NAME'), for the networks "
            + "listed after '=' (default: --network, or every network). Repeatable: one process serves them all; "
            + "forwarding leaves from this process's namespace.")
    private List<String> netns = new ArrayList<>();

    @Option(names = "--watch",
        description = "Reload the records file when it changes, applying the differences as one batch.")
    private boolean watch;

    @Option(names = "--threads", paramLabel = "N",
        description = "Event-loop threads; with epoll each gets its own UDP socket (default: one per core).")
    private int threads = Runtime.getRuntime().availableProcessors();

    @Option(names = "--exit-after", paramLabel = "S", hidden = true,
        description = "Stop after this many seconds (for scripts and tests); default: run until SIGTERM.")
    private long exitAfterSeconds;

    @Override
    public Integer call() throws Exception {
        PrintWriter err = spec.commandLine().getErr();
        PrintWriter out = spec.commandLine().getOut();
        Served server;
        try {
            server = start(out, err);
        } catch (RecordsFileException | IllegalArgumentException e) {
            err.println("meshd dns: " + e.getMessage());
            err.flush();
            return 2;
        } catch (IOException | RuntimeException e) {
            err.println("meshd dns: cannot start: " + e);
            err.flush();
            return 1;
        }
        ShutdownHooks.runUntilStopped("meshd-dns-shutdown", () -> {
            server.close();
            out.println("meshd dns: stopped; counters " + server.dns().counters().snapshot());
            out.flush();
        }, exitAfterSeconds);
        return 0;
    }

    private Served start(PrintWriter out, PrintWriter err)
        throws RecordsFileException, IOException, InterruptedException {
        if (ttl < 0) {
            throw new IllegalArgumentException("--ttl must not be negative");
        }
        if (listen.isEmpty() && netns.isEmpty()) {
            throw new IllegalArgumentException("give --listen ADDR:PORT, or --netns NAME to answer at "
                + "127.0.0.11:53 inside a namespace");
        }
        List<MeshNetwork> file = RecordsFile.read(records);
        Set<String> known = names(file);
        for (String n : networks) {
            requireKnown(n, known, "--network");
        }
        Map<String, Set<String>> namespaces = namespaceScopes(known);
        LiveRecordSource.Builder source = LiveRecordSource.builder().ttl(ttl).networks(file);
        DnsServer.Builder builder = DnsServer.builder().forwardTimeout(Duration.ofMillis(forwardTimeoutMillis))
            .threads(threads);
        if (!domain.isEmpty()) {
            source.domain(domain);
            builder.domain(domain);
        }
        LiveRecordSource live = source.build();
        List<InetSocketAddress> listenAddresses = new ArrayList<>();
        for (String l : listen) {
            listenAddresses.add(SocketAddresses.parse(l, 53));
        }
        List<InetSocketAddress> resolvers = resolvers(listenAddresses);
        // Open every namespace before binding anything, so a bad name fails the command cleanly.
        Map<String, NetNs> handles = open(namespaces.keySet());
        resolvers.forEach(builder::upstream);
        Set<String> defaultScope = new LinkedHashSet<>(networks.isEmpty() ? known : networks);
        String forwarding = resolvers.isEmpty() ? "nobody (SERVFAIL)" : resolvers.toString();
        Served served;
        if (namespaces.isEmpty()) {
            listenAddresses.forEach(builder::listen);
            LiveRecordSource.LiveView view = live.view(defaultScope);
            builder.networks(defaultScope).records(scope -> view);
            served = new Served(builder.start(), live);
            if (networks.isEmpty()) {
                served.followFile(view);
            }
            out.printf("meshd dns: serving %d network(s) %s on %s, forwarding to %s%n", defaultScope.size(),
                defaultScope, served.dns().addresses(), forwarding);
        } else {
            served = new Served(builder.start(), live);
            attachAll(served, handles, namespaces, listenAddresses, defaultScope, out);
            out.printf("meshd dns: forwarding from this process's namespace to %s%n", forwarding);
        }
        out.flush();
        served.startMaintenance(watch ? records : null, out, err);
        return served;
    }

    /** {@code --netns NAME[=NET,...]} as name to its own networks (empty: the default scope). */
    private Map<String, Set<String>> namespaceScopes(Set<String> known) {
        Map<String, Set<String>> namespaces = new LinkedHashMap<>();
        for (String spec : netns) {
            int eq = spec.indexOf('=');
            String name = eq < 0 ? spec : spec.substring(0, eq);
            Set<String> scope = new LinkedHashSet<>();
            if (eq >= 0) {
                for (String n : spec.substring(eq + 1).split(",")) {
                    if (!n.isBlank()) {
                        requireKnown(n.trim(), known, "--netns " + name);
                        scope.add(n.trim());
                    }
                }
            }
            if (namespaces.put(name, scope) != null) {
                throw new IllegalArgumentException("--netns " + name + " given twice");
            }
        }
        return namespaces;
    }

    /** The upstreams given, else the host's resolv.conf's minus the addresses this server answers on. */
    private List<InetSocketAddress> resolvers(List<InetSocketAddress> listenAddresses) throws IOException {
        List<InetSocketAddress> resolvers = new ArrayList<>();
        for (String u : upstreams) {
            resolvers.add(SocketAddresses.parse(u, 53));
        }
        if (upstreams.isEmpty()) {
            List<InetSocketAddress> own = new ArrayList<>(listenAddresses);
            own.add(DnsServer.NAMESPACE_ADDRESS);
            resolvers.addAll(Upstreams.fromResolvConf(Path.of("/etc/resolv.conf"), own));
        }
        return resolvers;
    }

    private static Map<String, NetNs> open(Set<String> names) {
        Map<String, NetNs> handles = new LinkedHashMap<>();
        for (String name : names) {
            try {
                handles.put(name, NetNs.named(name));
            } catch (IllegalArgumentException | NativeException e) {
                handles.values().forEach(NetNs::close);
                // NetNs names what failed (a bad name, or open(/var/run/netns/NAME) and the errno text).
                throw new IllegalArgumentException("--netns " + name + ": " + e.getMessage(), e);
            }
        }
        return handles;
    }

    private void attachAll(Served served, Map<String, NetNs> handles, Map<String, Set<String>> namespaces,
        List<InetSocketAddress> listenAddresses, Set<String> defaultScope, PrintWriter out)
        throws InterruptedException {
        List<InetSocketAddress> inside = listenAddresses.isEmpty() ? List.of(DnsServer.NAMESPACE_ADDRESS)
            : listenAddresses;
        try {
            for (Map.Entry<String, NetNs> e : handles.entrySet()) {
                Set<String> own = namespaces.get(e.getKey());
                boolean followsFile = own.isEmpty() && networks.isEmpty();
                Set<String> scope = own.isEmpty() ? defaultScope : own;
                served.attach(e.getKey(), e.getValue(), inside, scope, followsFile);
                out.printf("meshd dns: serving %d network(s) %s in namespace %s on %s%n", scope.size(), scope,
                    e.getKey(), inside);
            }
        } catch (RuntimeException | InterruptedException e) {
            served.close();
            handles.values().forEach(NetNs::close);
            throw e;
        }
    }

    private static Set<String> names(List<MeshNetwork> file) {
        Set<String> known = new LinkedHashSet<>();
        for (MeshNetwork n : file) {
            known.add(n.name());
        }
        return known;
    }

    private void requireKnown(String network, Set<String> known, String option) {
        if (!known.contains(network)) {
            throw new IllegalArgumentException(option + " " + network + ": no such network in " + records
                + " (it has " + known + ")");
        }
    }
}
