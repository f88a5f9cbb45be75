package io.meshd.cli;

import io.meshd.lb.MaglevTable;
import io.meshd.lb.Protocol;
import io.meshd.lb.proxy.L4Proxy;
import io.meshd.lb.proxy.ProxyBackend;
import io.meshd.net.IoTransport;
import io.meshd.net.SocketAddresses;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code meshd proxy}: a consistent-hash L4 proxy in front of a fixed set of backends, until SIGTERM. */
@Command(name = "proxy", mixinStandardHelpOptions = true,
    description = "Forwards TCP connections or UDP datagrams arriving on one address to backends, choosing with "
        + "Maglev on the client's address and port: two proxies given the same backends send the same client to "
        + "the same backend. Backends that refuse are marked down and retried (see docs/load-balancer.md). Runs "
        + "until SIGTERM or Ctrl-C.")
final class ProxyCommand implements Callable<Integer> {

    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    @Option(names = "--listen", required = true, paramLabel = "ADDR:PORT[/tcp|/udp]",
        description = "Address and protocol to accept on (default protocol tcp), e.g. 0.0.0.0:8080/tcp.")
    private String listen;

    @Option(names = "--backend", required = true, paramLabel = "ADDR:PORT[=WEIGHT]",
        description = "A backend (repeatable), e.g. 10.0.9.5:80=2; weights are relative, default 1.")
    private List<String> backends = new ArrayList<>();

    @Option(names = "--table-size", paramLabel = "M",
        description = "Maglev table size, a prime; proxies that must agree use the same (default: ${DEFAULT-VALUE}).")
    private int tableSize = MaglevTable.DEFAULT_SIZE;

    @Option(names = "--proxy-protocol",
        description = "Start each TCP connection to a backend with a PROXY protocol v2 header (the client address).")
    private boolean proxyProtocol;

    @Option(names = "--transport", paramLabel = "T",
        description = "I/O transport: " + IoTransport.CLI_NAMES + " (default: ${DEFAULT-VALUE}).")
    private String transport = "auto";

    /*
     * Half the cores by default: four fifths of a proxy's CPU is the kernel's TCP work (set-up, tear-down, copies),
     * done in its system calls and softirqs, so loops on every core contend with it (and with the host's other work):
     * on 2 shared cores one loop made 1.07x HAProxy's connections per second where two made 0.96x, at the same
     * throughput (README, "Load balancer").
     */
    @Option(names = "--threads", paramLabel = "N",
        description = "Event-loop threads (default: half the cores, at least one).")
    private int threads = Math.max(1, Runtime.getRuntime().availableProcessors() / 2);

    @Option(names = "--connect-timeout", paramLabel = "MS",
        description = "Milliseconds a backend may take to accept (default: ${DEFAULT-VALUE}).")
    private long connectTimeoutMillis = 3000;

    @Option(names = "--retry-interval", paramLabel = "MS",
        description = "Milliseconds between retries of a down backend (default: ${DEFAULT-VALUE}).")
    private long retryMillis = 5000;

    @Option(names = "--udp-idle-timeout", paramLabel = "S",
        description = "Seconds without traffic that end a UDP client's session (default: ${DEFAULT-VALUE}).")
    private long udpIdleSeconds = 30;

    @Option(names = "--exit-after", paramLabel = "S", hidden = true,
        description = "Stop after this many seconds (for scripts and tests); default: run until SIGTERM.")
    private long exitAfterSeconds;

    @Override
    public Integer call() throws Exception {
        PrintWriter err = spec.commandLine().getErr();
        PrintWriter out = spec.commandLine().getOut();
        L4Proxy proxy;
        try {
            proxy = builder().start();
        } catch (IllegalArgumentException e) {
            err.println("meshd proxy: " + e.getMessage());
            err.flush();
            return 2;
        } catch (Exception e) {
            err.println("meshd proxy: cannot start: " + e);
            err.flush();
            return 1;
        }
        out.printf("meshd proxy: %s on %s to %d backend(s)%n", protocol(), SocketAddresses.format(proxy.address()),
            proxy.backends().backends().size());
        out.flush();
        ShutdownHooks.runUntilStopped("meshd-proxy-shutdown", () -> {
            proxy.close();
            out.println("meshd proxy: stopped; counters " + proxy.counters().snapshot());
            out.flush();
        }, exitAfterSeconds);
        return 0;
    }

    private Protocol protocol() {
        int slash = listen.lastIndexOf('/');
        return slash < 0 ? Protocol.TCP : Protocol.parse(listen.substring(slash + 1));
    }

    private L4Proxy.Builder builder() {
        int slash = listen.lastIndexOf('/');
        L4Proxy.Builder b = L4Proxy.builder().protocol(protocol())
            .listen(SocketAddresses.parse(slash < 0 ? listen : listen.substring(0, slash)))
            .tableSize(tableSize).proxyProtocol(proxyProtocol).transport(IoTransport.parse(transport))
            .threads(threads).connectTimeout(Duration.ofMillis(connectTimeoutMillis))
            .retryInterval(Duration.ofMillis(retryMillis)).udpIdleTimeout(Duration.ofSeconds(udpIdleSeconds));
        for (String backend : backends) {
            b.backend(ProxyBackend.parse(backend));
        }
        return b;
    }
}
