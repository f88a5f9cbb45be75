package io.meshd.cli;

import io.meshd.dns.DnsServer;
import io.meshd.net.SocketAddresses;
import io.meshd.dns.Upstreams;
import io.meshd.dns.records.InMemoryRecordSource;
import io.meshd.dns.records.MeshNetwork;
import io.meshd.dns.records.RecordsFile;
import io.meshd.dns.records.RecordsFileException;
import io.meshd.shims.NativeException;
import io.meshd.shims.NetNs;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
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

    @Option(names = "--listen", required = true, paramLabel = "ADDR:PORT",
        description = "Address to answer on, UDP and TCP (repeatable), e.g. 127.0.0.11:53 or [::1]:5353.")
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
    private int ttl = InMemoryRecordSource.DEFAULT_TTL;

    @Option(names = "--forward-timeout", paramLabel = "MS",
        description = "Milliseconds to wait for each upstream (default: ${DEFAULT-VALUE}).")
    private long forwardTimeoutMillis = 2000;

    @Option(names = "--netns", paramLabel = "NAME",
        description = "Listen (and forward) inside this network namespace (as made by 'ip netns add NAME').")
    private String netns = "";

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
        DnsServer server;
        try {
            server = start(out);
        } catch (RecordsFileException | IllegalArgumentException e) {
            err.println("meshd dns: " + e.getMessage());
            err.flush();
            return 2;
        } catch (IOException | RuntimeException e) {
            err.println("meshd dns: cannot start: " + e);
            err.flush();
            return 1;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runnable stop = () -> {
            server.close();
            out.println("meshd dns: stopped; counters " + server.counters().snapshot());
            out.flush();
        };
        // On SIGTERM the JVM halts once the hooks are done, so the hook itself stops the server and reports.
        Thread hook = new Thread(() -> {
            stop.run();
            stopped.countDown();
        }, "meshd-dns-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        if (exitAfterSeconds > 0) {
            if (!stopped.await(exitAfterSeconds, TimeUnit.SECONDS)) {
                if (ShutdownHooks.remove(hook)) {
                    stop.run();
                } else {
                    // A signal arrived as the time ran out: the hook stops the server; stopping twice would not do.
                    stopped.await();
                }
            }
        } else {
            stopped.await();
        }
        return 0;
    }

    private DnsServer start(PrintWriter out) throws RecordsFileException, IOException, InterruptedException {
        if (ttl < 0) {
            throw new IllegalArgumentException("--ttl must not be negative");
        }
        List<MeshNetwork> file = RecordsFile.read(records);
        Set<String> known = new LinkedHashSet<>();
        for (MeshNetwork n : file) {
            known.add(n.name());
        }
        Set<String> scope = new LinkedHashSet<>(networks.isEmpty() ? known : networks);
        for (String n : scope) {
            if (!known.contains(n)) {
                throw new IllegalArgumentException("--network " + n + ": no such network in " + records
                    + " (it has " + known + ")");
            }
        }
        InMemoryRecordSource.Builder source = InMemoryRecordSource.builder().ttl(ttl).networks(file);
        DnsServer.Builder builder = DnsServer.builder().networks(scope)
            .forwardTimeout(Duration.ofMillis(forwardTimeoutMillis)).threads(threads);
        if (!domain.isEmpty()) {
            source.domain(domain);
            builder.domain(domain);
        }
        builder.records(source.build());
        List<InetSocketAddress> listenAddresses = new ArrayList<>();
        for (String l : listen) {
            InetSocketAddress a = SocketAddresses.parse(l, 53);
            listenAddresses.add(a);
            builder.listen(a);
        }
        List<InetSocketAddress> resolvers = new ArrayList<>();
        for (String u : upstreams) {
            resolvers.add(SocketAddresses.parse(u, 53));
        }
        Path resolvConf = Path.of("/etc/resolv.conf");
        if (!netns.isEmpty()) {
            // Sockets are opened by a thread that entered the namespace; the handle stays open for the JVM's life.
            NetNs namespace;
            try {
                namespace = NetNs.named(netns);
            } catch (IllegalArgumentException | NativeException e) {
                // NetNs names what failed (a bad name, or open(/var/run/netns/NAME) and the errno text).
                throw new IllegalArgumentException("--netns " + netns + ": " + e.getMessage(), e);
            }
            builder.socketOpener(Executors.newSingleThreadExecutor(namespace.threadFactory()));
            Path own = Path.of("/etc/netns", netns, "resolv.conf");
            resolvConf = Files.exists(own) ? own : resolvConf;
        }
        if (upstreams.isEmpty()) {
            resolvers.addAll(Upstreams.fromResolvConf(resolvConf, listenAddresses));
        }
        resolvers.forEach(builder::upstream);
        DnsServer server = builder.start();
        out.printf("meshd dns: serving %d network(s) %s on %s, forwarding to %s%n", scope.size(), scope,
            server.addresses(), resolvers.isEmpty() ? "nobody (SERVFAIL)" : resolvers);
        out.flush();
        return server;
    }
}
