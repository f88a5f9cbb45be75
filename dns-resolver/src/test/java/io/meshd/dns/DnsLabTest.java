package io.meshd.dns;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.meshd.dns.records.InMemoryRecordSource;
import io.meshd.harness.RequiresLab;
import io.meshd.shims.NetNs;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Real resolvers against the responder inside network namespaces. Namespace A (network {@code front}) and C
 * (network {@code back}) each run a responder at 127.0.0.11:53; namespace U runs dnsmasq at 10.99.0.2, reached from
 * A over a veth, as A's upstream. The responders' sockets are opened on threads that entered the namespaces
 * ({@link NetNs#threadFactory()}). dig, kdig and glibc (getent) ask from inside the namespaces.
 */
@RequiresLab(commands = {"dig", "kdig", "dnsmasq", "getent"})
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DnsLabTest {

    private static final String RESOLVER = "@127.0.0.11";

    private final String suffix = Long.toString(ProcessHandle.current().pid() % 100000);
    private final String nsA = "mdna" + suffix;
    private final String nsC = "mdnc" + suffix;
    private final String nsU = "mdnu" + suffix;
    private final List<AutoCloseable> cleanup = new ArrayList<>();
    private final List<ExecutorService> threads = new ArrayList<>();
    private Process dnsmasq;

    @BeforeAll
    void buildLab() throws Exception {
        for (String ns : List.of(nsA, nsC, nsU)) {
            sh("ip", "netns", "add", ns);
            cleanup.add(() -> sh("ip", "netns", "del", ns));
            sh("ip", "-n", ns, "link", "set", "lo", "up");
        }
        String va = "mdva" + suffix;
        String vu = "mdvu" + suffix;
        sh("ip", "link", "add", va, "netns", nsA, "type", "veth", "peer", "name", vu, "netns", nsU);
        sh("ip", "-n", nsA, "addr", "add", "10.99.0.1/30", "dev", va);
        sh("ip", "-n", nsU, "addr", "add", "10.99.0.2/30", "dev", vu);
        sh("ip", "-n", nsA, "link", "set", va, "up");
        sh("ip", "-n", nsU, "link", "set", vu, "up");
        dnsmasq = new ProcessBuilder(LabTools.path("ip"), "netns", "exec", nsU, LabTools.path("dnsmasq"),
            "--no-daemon", "--no-resolv", "--no-hosts", "--bind-interfaces", "--listen-address=10.99.0.2",
            "--port=53", "--pid-file=", "--address=/example.test/192.0.2.7", "--log-facility=-")
            .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        cleanup.add(() -> {
            dnsmasq.destroy();
            dnsmasq.waitFor(5, TimeUnit.SECONDS);
        });
        Path etc = Path.of("/etc/netns", nsA);
        Files.createDirectories(etc);
        Files.writeString(etc.resolve("resolv.conf"), "nameserver 127.0.0.11\n");
        cleanup.add(() -> {
            Files.deleteIfExists(etc.resolve("resolv.conf"));
            Files.deleteIfExists(etc);
        });
        InMemoryRecordSource source = Fixtures.source();
        startResponder(nsA, "front", source, true);
        startResponder(nsC, "back", source, false);
        waitForUpstream();
    }

    private void startResponder(String ns, String network, InMemoryRecordSource source, boolean forward)
        throws Exception {
        NetNs handle = NetNs.named(ns);
        cleanup.add(handle);
        ExecutorService inside = Executors.newSingleThreadExecutor(handle.threadFactory());
        threads.add(inside);
        DnsServer.Builder b = DnsServer.builder().listen(new InetSocketAddress("127.0.0.11", 53)).records(source)
            .networks(Set.of(network)).domain("mesh").threads(1).socketOpener(inside)
            .forwardTimeout(Duration.ofSeconds(1));
        if (forward) {
            b.upstream(new InetSocketAddress("10.99.0.2", 53));
        }
        DnsServer server = b.start();
        cleanup.add(server);
    }

    private void waitForUpstream() throws Exception {
        for (int i = 0; i < 50; i++) {
            if (digIn(nsA, "@10.99.0.2", "+short", "+time=1", "+tries=1", "a.example.test").contains("192.0.2.7")) {
                return;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("dnsmasq did not come up in " + nsU);
    }

    @AfterAll
    void tearDown() {
        for (int i = cleanup.size() - 1; i >= 0; i--) {
            try {
                cleanup.get(i).close();
            } catch (Exception e) {
                System.err.println("lab teardown: " + e);
            }
        }
        threads.forEach(ExecutorService::shutdownNow);
    }

    private static String sh(String... command) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(Arrays.asList(command));
        cmd.set(0, LabTools.path(cmd.get(0)));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(20, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IOException(String.join(" ", command) + " failed: " + out);
        }
        return out;
    }

    private static String in(String ns, String... command) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of("ip", "netns", "exec", ns, LabTools.path(command[0])));
        cmd.addAll(Arrays.asList(command).subList(1, command.length));
        return sh(cmd.toArray(new String[0]));
    }

    private static String digIn(String ns, String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of("dig"));
        cmd.addAll(Arrays.asList(args));
        return in(ns, cmd.toArray(new String[0]));
    }

    private static Set<String> lines(String text) {
        Set<String> result = new HashSet<>();
        for (String line : text.split("\n")) {
            if (!line.isBlank()) {
                result.add(line.trim());
            }
        }
        return result;
    }

    @Test
    void shouldAnswerDigForServicesTasksAndSuffixedNames() throws Exception {
        assertEquals(Set.of("10.0.1.2"), lines(digIn(nsA, RESOLVER, "+short", "web")));
        assertEquals(Set.of("10.0.1.3", "10.0.1.4"), lines(digIn(nsA, RESOLVER, "+short", "tasks.web")));
        assertEquals(Set.of("10.0.1.2"), lines(digIn(nsA, RESOLVER, "+short", "WEB.front")));
        assertEquals(Set.of("10.0.1.9"), lines(digIn(nsA, RESOLVER, "+short", "database.front.mesh")));
        assertEquals(Set.of("fd00::3"), lines(digIn(nsA, RESOLVER, "+short", "AAAA", "web.1")));
    }

    @Test
    void shouldAnswerPtrAndSrv() throws Exception {
        assertEquals(Set.of("web.1.front.mesh."), lines(digIn(nsA, RESOLVER, "+short", "-x", "10.0.1.3")));
        assertEquals(Set.of("web.1.front.mesh."), lines(digIn(nsA, RESOLVER, "+short", "-x", "fd00::3")));
        assertEquals(Set.of("0 0 80 web.front.mesh."), lines(digIn(nsA, RESOLVER, "+short", "SRV",
            "_http._tcp.web")));
        assertEquals(Set.of("0 0 80 web.front.mesh."), lines(digIn(nsA, RESOLVER, "+short", "SRV",
            "_80._tcp.web.front.mesh")));
    }

    @Test
    void shouldAnswerNxdomainAndNodataWithSoaInTheDomain() throws Exception {
        String nx = digIn(nsA, RESOLVER, "nope.mesh");
        assertNegativeWithSoa(nx, "NXDOMAIN");
        assertTrue(nx.contains("flags: qr aa rd ra"), nx);
        assertNegativeWithSoa(digIn(nsA, RESOLVER, "AAAA", "web.2.mesh"), "NOERROR");
        // An empty non-terminal (a network name under the domain): NODATA, not NXDOMAIN, with the SOA.
        assertNegativeWithSoa(digIn(nsA, RESOLVER, "front.mesh"), "NOERROR");
    }

    /** {@code status}, no answer, and exactly one record in the authority section: the domain's SOA. */
    private static void assertNegativeWithSoa(String dig, String status) {
        assertTrue(dig.contains("status: " + status + ","), dig);
        assertTrue(dig.contains("ANSWER: 0, AUTHORITY: 1,"), dig);
        assertTrue(dig.matches("(?s).*AUTHORITY SECTION:\\s*\\nmesh\\.\\s+30\\s+IN\\s+SOA\\s+ns\\.mesh\\..*"), dig);
        assertEquals(1, dig.lines().filter(l -> l.matches("^[^;].*\\sIN\\s+SOA\\s.*")).count(), dig);
        assertFalse(dig.contains("ANSWER SECTION:"), dig);
    }

    @Test
    void shouldForwardOtherNamesToTheUpstream() throws Exception {
        assertEquals(Set.of("192.0.2.7"), lines(digIn(nsA, RESOLVER, "+short", "www.example.test")));
        String tcp = digIn(nsA, RESOLVER, "+tcp", "+short", "api.example.test");
        assertEquals(Set.of("192.0.2.7"), lines(tcp));
    }

    @Test
    void shouldTruncateThenServeEveryTaskOverTcp() throws Exception {
        String out = digIn(nsA, RESOLVER, "+bufsize=1232", "rr");
        assertTrue(out.contains("Truncated, retrying in TCP mode"), out);
        assertTrue(out.contains("ANSWER: 100,"), out);
    }

    @Test
    void shouldAnswerKdigOverUdpAndTcp() throws Exception {
        assertEquals(Set.of("10.0.1.2"), lines(in(nsA, "kdig", RESOLVER, "+short", "web")));
        assertEquals(Set.of("10.0.1.3", "10.0.1.4"), lines(in(nsA, "kdig", RESOLVER, "+tcp", "+short",
            "tasks.web.front")));
        String nsid = in(nsA, "kdig", RESOLVER, "+edns=1", "web");
        assertTrue(nsid.contains("BADVERS"), nsid);
    }

    @Test
    @DisplayName("kdig and dig read the RFC behaviours: SOA/NS at the apex (RFC 2308 5), the NS target resolving to "
        + "the responder, SRV additional data (RFC 2782), RFC 8020 reverse names, DO copied (RFC 3225), OPT on "
        + "NOTIMP (RFC 6891 7), local. not forwarded (RFC 6762 22.1)")
    void shouldBeReadByKdigAndDigAsTheRfcsSay() throws Exception {
        String soa = in(nsA, "kdig", RESOLVER, "+short", "SOA", "mesh");
        assertTrue(soa.startsWith("ns.mesh. hostmaster.mesh. "), soa);
        assertEquals(Set.of("ns.mesh."), lines(in(nsA, "kdig", RESOLVER, "+short", "NS", "mesh")));
        assertEquals(Set.of("127.0.0.11"), lines(in(nsA, "kdig", RESOLVER, "+short", "ns.mesh")));
        String srv = in(nsA, "kdig", RESOLVER, "SRV", "_http._tcp.web");
        assertTrue(srv.matches("(?s).*ADDITIONAL SECTION:\\s*\\nweb\\.front\\.mesh\\.\\s+600\\s+IN\\s+A"
            + "\\s+10\\.0\\.1\\.2.*"), srv);
        for (String name : List.of("1.0.10.in-addr.arpa", "0.10.in-addr.arpa")) {
            String ent = in(nsA, "kdig", RESOLVER, "PTR", name);
            assertTrue(ent.contains("status: NOERROR"), ent);
            assertTrue(ent.matches("(?s).*AUTHORITY SECTION:\\s*\\n10\\.in-addr\\.arpa\\.\\s+30\\s+IN"
                + "\\s+SOA\\s.*"), ent);
        }
        assertTrue(in(nsA, "kdig", RESOLVER, "+dnssec", "web").contains("flags: do;"));
        String notimp = digIn(nsA, RESOLVER, "+opcode=status", "web");
        assertTrue(notimp.contains("status: NOTIMP") && notimp.contains("OPT PSEUDOSECTION"), notimp);
        String local = in(nsA, "kdig", RESOLVER, "printer.local");
        assertTrue(local.contains("status: NXDOMAIN")
            && local.matches("(?s).*\\nlocal\\.\\s+30\\s+IN\\s+SOA\\s.*"), local);
    }

    @Test
    void shouldKeepNetworksApart() throws Exception {
        assertEquals(Set.of("10.0.9.9"), lines(digIn(nsC, RESOLVER, "+short", "secret.mesh")));
        assertTrue(digIn(nsA, RESOLVER, "secret.mesh").contains("status: NXDOMAIN"));
        assertTrue(digIn(nsC, RESOLVER, "web.mesh").contains("status: NXDOMAIN"));
        // C has no upstream: a name it does not know is a SERVFAIL, never another network's answer.
        assertTrue(digIn(nsC, RESOLVER, "web").contains("status: SERVFAIL"));
    }

    @Test
    void shouldResolveThroughGlibc() throws Exception {
        String hosts = in(nsA, "getent", "hosts", "web");
        assertTrue(hosts.startsWith("10.0.1.2"), hosts);
        String ahosts = in(nsA, "getent", "ahostsv4", "tasks.web");
        assertTrue(ahosts.contains("10.0.1.3") && ahosts.contains("10.0.1.4"), ahosts);
    }
}
