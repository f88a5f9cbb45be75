package io.meshd.cli;

import static io.meshd.cli.AcceptanceLab.DETECT;
import static io.meshd.cli.AcceptanceLab.HOSTS;
import static io.meshd.cli.AcceptanceLab.SPREAD;
import static io.meshd.cli.AcceptanceLab.request;
import static io.meshd.cli.AcceptanceLab.until;
import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.meshd.cli.AgentProcesses.CliResult;
import io.meshd.harness.ExecResult;
import io.meshd.harness.LabHost;
import io.meshd.harness.RequiresLab;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.function.Executable;

/**
 * Issue 13's acceptance, driven through the CLI against real agent processes ({@link AcceptanceLab}): three hosts,
 * networks {@code front} (10.91.0.0/24) and {@code back} (10.92.0.0/24), service {@code web} (VIP 10.91.0.100, port
 * 80) with one endpoint per host, each answering its own name on port 80; a client on {@code front} per host; on
 * {@code back} a client on h1 and a server {@code db} on h2. The agents start once for the class; the tests run in
 * order and each leaves the cluster whole for the next.
 */
@RequiresLab(commands = {"dig", "socat", "ss", "dnsmasq"})
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class MeshAcceptanceLabTest {

    private static final String VIP = "10.91.0.100";
    private static final Set<String> WEB_IPS = Set.of("10.91.0.11", "10.91.0.12", "10.91.0.13");
    private static final Set<String> WEB_NAMES = Set.of("web-1", "web-2", "web-3");
    private static final Set<String> FRONT_ENDPOINTS = Set.of("web-1", "web-2", "web-3", "client-1", "client-2",
        "client-3");
    /** Requests per client in the balancing check. */
    private static final int REQUESTS = 30;

    private AcceptanceLab lab;
    private final List<LabHost> web = new ArrayList<>();
    private final List<LabHost> clients = new ArrayList<>();
    private LabHost backClient;
    private LabHost db;
    private long started;

    @BeforeAll
    void up() throws Exception {
        started = System.nanoTime();
        lab = AcceptanceLab.create();
        lab.startAgents();
        System.out.printf("agents up and formed in %d ms%n", since(started));
        lab.meshdOk(lab.agent(0), "network", "create", "front", "--subnet", "10.91.0.0/24", "--vni", "4601");
        lab.meshdOk(lab.agent(1), "network", "create", "back", "--subnet", "10.92.0.0/24", "--vni", "4602");
        for (int i = 0; i < HOSTS; i++) {
            String a = lab.agent(i);
            until(a + " knows both networks", SPREAD, () -> lab.json(a, "network", "ls"),
                n -> n != null && names(n).containsAll(Set.of("front", "back")));
        }
        lab.meshdOk(lab.agent(2), "service", "create", "web", "--network", "front", "--vip", VIP, "--mode", "vip",
            "--publish", "80:80/tcp");
        for (int i = 0; i < HOSTS; i++) {
            String a = lab.agent(i);
            until(a + " knows service web", SPREAD, () -> lab.json(a, "service", "ls"),
                n -> n != null && names(n).contains("web"));
            LabHost w = lab.container("web" + (i + 1));
            web.add(w);
            lab.meshdOk(a, "attach", "front", "--netns", w.name(), "--ip", "10.91.0.1" + (i + 1),
                "--name", "web-" + (i + 1), "--service", "web");
            AcceptanceLab.serve(w, 80, "web-" + (i + 1));
            LabHost c = lab.container("cl" + (i + 1));
            clients.add(c);
            lab.meshdOk(a, "attach", "front", "--netns", c.name(), "--ip", "10.91.0.2" + (i + 1),
                "--name", "client-" + (i + 1));
        }
        backClient = lab.container("bk");
        lab.meshdOk(lab.agent(0), "attach", "back", "--netns", backClient.name(), "--ip", "10.92.0.21", "--name",
            "back-client");
        db = lab.container("db");
        lab.meshdOk(lab.agent(1), "attach", "back", "--netns", db.name(), "--ip", "10.92.0.31", "--name", "db");
        AcceptanceLab.serve(db, 80, "db");
        // web-2 also echoes on 7000, one connection, for the long-lived connection of the restart test
        AcceptanceLab.echo(web.get(1), 7000);
        System.out.printf("scene set (2 networks, 1 service, 8 attachments) in %d ms%n", since(started));
    }

    @AfterAll
    void down() {
        if (lab != null) {
            lab.close();
        }
        System.out.printf("whole class, teardown included: %d ms%n", since(started));
    }

    @Test
    @Order(1)
    void shouldResolveAndBalanceWebFromEveryFrontClientAndIsolateTheBackNetwork() throws Exception {
        for (LabHost c : clients) {
            assertEquals(Set.of(VIP), until(c + ": dig web", SPREAD, () -> lab.dig(c, "web"), Set.of(VIP)::equals),
                "web resolves to the VIP");
            assertEquals(WEB_IPS, until(c + ": dig tasks.web", SPREAD, () -> lab.dig(c, "tasks.web"),
                WEB_IPS::equals), "tasks.web resolves to the three endpoints");
        }
        Map<String, Integer> all = new TreeMap<>();
        for (LabHost c : clients) {
            Map<String, Integer> served = new TreeMap<>();
            for (int i = 0; i < REQUESTS; i++) {
                ExecResult r = request(c, "web:80", 5);
                assertTrue(r.ok(), c + ": request " + i + " to web:80: " + r);
                String who = r.stdout().trim();
                assertTrue(WEB_NAMES.contains(who), c + ": answered by an endpoint of web: " + who);
                served.merge(who, 1, Integer::sum);
                all.merge(who, 1, Integer::sum);
            }
            assertTrue(served.size() > 1, c + ": " + REQUESTS + " connections reach more than one endpoint: " + served);
        }
        // 90 connections, each to one of three backends: one left out has probability 3 * (2/3)^90 < 1e-15
        assertEquals(WEB_NAMES, all.keySet(), "all three endpoints serve: " + all);
        System.out.println("connections per endpoint over " + clients.size() * REQUESTS + ": " + all);

        // back: its own names resolve, names outside the mesh come from the upstream, and its server answers across
        // hosts (so the responder, the forwarder and the overlay work there)...
        assertEquals(Set.of("10.92.0.31"), until("back client: dig db", SPREAD, () -> lab.dig(backClient, "db"),
            Set.of("10.92.0.31")::equals));
        assertEquals(Set.of(AcceptanceLab.OUTSIDE_IP), lab.dig(backClient, AcceptanceLab.OUTSIDE),
            "back client: a name outside the mesh, through the upstream");
        ExecResult toDb = request(backClient, "db:80", 5);
        assertTrue(toDb.ok() && toDb.stdout().trim().equals("db"), "back client reaches db on h2: " + toDb);
        // ...and nothing of front: the mesh does not answer front's names there, so the upstream's NXDOMAIN stands
        List<Executable> isolation = new ArrayList<>();
        for (String name : List.of("web", "tasks.web", "web-1", "web-2", "web-3", "client-2", "web-1.front")) {
            isolation.add(() -> assertEquals("NXDOMAIN", lab.digStatus(backClient, name),
                "back client resolves " + name));
        }
        isolation.add(() -> assertEquals("NXDOMAIN", lab.digStatus(clients.get(1), "db"),
            "a front client resolves back's db"));
        // An on-link route to front's subnet: the back client ARPs for front's addresses on back's VNI, and the
        // mesh must neither answer nor carry that across networks (without it, connect would just fail locally).
        backClient.execOk("ip", "route", "add", "10.91.0.0/24", "dev", "eth0");
        for (String target : List.of("10.91.0.11:80", "10.91.0.12:80", VIP + ":80")) {
            isolation.add(() -> {
                ExecResult r = request(backClient, target, 2);
                assertFalse(r.ok(), "back client reaches front's " + target + ": " + r);
            });
        }
        assertAll(isolation);
    }

    @Test
    @Order(2)
    void shouldAnswerEveryCliVerbAndNameEveryProblem() throws Exception {
        String s1 = lab.socket(lab.agent(0)).toString();
        LabHost tmp = lab.container("tmp");
        String cl1 = clients.get(0).name();
        String missing = lab.dir().resolve("not-running.sock").toString();
        // Every step runs and every failure is reported (assertAll), each a separate meshd process as at a shell.
        assertAll(
            // as a person uses it: tables, JSON for scripts
            () -> {
                CliResult ls = cli("network", "ls", "--socket", s1);
                assertClean(ls, 0);
                assertTrue(ls.out().contains("front") && ls.out().contains("back")
                    && ls.out().contains("10.91.0.0/24"), "network ls: " + ls);
            },
            () -> {
                CliResult ls = cli("network", "ls", "--format", "json", "--socket", s1);
                assertClean(ls, 0);
                assertTrue(ls.out().trim().startsWith("[") && ls.out().contains("\"front\""), "JSON: " + ls);
            },
            () -> {
                CliResult inspect = cli("network", "inspect", "front", "--socket", s1);
                assertClean(inspect, 0);
                for (String e : FRONT_ENDPOINTS) {
                    assertTrue(inspect.out().contains(e), "network inspect front names " + e + ": " + inspect);
                }
            },
            () -> {
                CliResult services = cli("service", "ls", "--socket", s1);
                assertClean(services, 0);
                assertTrue(services.out().contains("web") && services.out().contains(VIP), "service ls: " + services);
            },
            () -> {
                CliResult members = cli("members", "--socket", s1);
                assertClean(members, 0);
                assertTrue(members.out().contains(lab.agent(0)) && members.out().contains(lab.agent(1))
                    && members.out().contains(lab.agent(2)), "members: " + members);
            },
            // a network's life: create, attach, refused removal and second attach, detach, removal
            () -> assertClean(cli("network", "create", "scratch", "--subnet", "10.94.0.0/24", "--vni", "4603",
                "--socket", s1), 0),
            () -> assertClean(cli("attach", "scratch", "--netns", tmp.name(), "--ip", "10.94.0.5", "--name",
                "scratch-1", "--socket", s1), 0),
            () -> assertError(cli("network", "rm", "scratch", "--socket", s1), 1, "scratch"),
            () -> assertError(cli("attach", "scratch", "--netns", tmp.name(), "--ip", "10.94.0.6", "--name",
                "scratch-2", "--socket", s1), 1, tmp.name()),
            () -> assertClean(cli("detach", "scratch", "--netns", tmp.name(), "--socket", s1), 0),
            () -> assertError(cli("detach", "scratch", "--netns", tmp.name(), "--socket", s1), 1, tmp.name()),
            () -> assertClean(cli("network", "rm", "scratch", "--socket", s1), 0),
            () -> assertError(cli("network", "inspect", "scratch", "--socket", s1), 1, "scratch"),
            // every error path of issue 13 section 3: exit 1, the problem named on stderr, nothing on stdout
            () -> assertError(cli("network", "create", "bad/name", "--subnet", "10.95.0.0/24", "--socket", s1), 1,
                "bad/name"),
            () -> assertError(cli("network", "create", "other", "--subnet", "10.91.0.128/25", "--socket", s1), 1,
                "overlaps"),
            () -> assertError(cli("attach", "nosuch", "--netns", tmp.name(), "--ip", "10.91.0.77", "--socket", s1),
                1, "nosuch"),
            () -> assertError(cli("attach", "front", "--netns", cl1, "--ip", "10.91.0.78", "--name", "again",
                "--socket", s1), 1, cl1),
            () -> assertError(cli("network", "rm", "front", "--socket", s1), 1, "front"),
            () -> assertError(cli("service", "inspect", "nosuch", "--socket", s1), 1, "nosuch"),
            // a service's life (creating one that exists replaces it, as docs/mesh.md says: not an error path)
            () -> assertClean(cli("service", "create", "api", "--network", "front", "--mode", "dnsrr", "--socket",
                s1), 0),
            () -> assertClean(cli("service", "rm", "api", "--socket", s1), 0),
            () -> assertError(cli("service", "rm", "api", "--socket", s1), 1, "api"),
            () -> assertError(cli("network", "ls", "--socket", missing), 1, missing),
            // usage errors: exit 2, before any request
            () -> assertError(cli("network", "create", "--socket", s1), 2, "Missing required parameter"),
            () -> assertError(cli("attach", "front", "--socket", s1), 2, "--netns"),
            () -> assertError(cli("network", "ls", "--format", "yaml", "--socket", s1), 2, "yaml"),
            // nothing the refused requests touched changed
            () -> assertEquals(frontEndpointsOnce(), endpointNames(lab.inspect(lab.agent(0), "network", "front")),
                "front's endpoints after the refusals"));
    }

    private static CliResult cli(String... args) throws Exception {
        return AgentProcesses.cli(args);
    }

    @Test
    @Order(3)
    void shouldDropAKilledAgentsEndpointWithinTheBoundAndTakeItBackOnRestart() throws Exception {
        lab.ensureAllRunning();
        long killed = System.nanoTime();
        lab.kill(lab.agent(2));
        Set<String> live = Set.of("10.91.0.11", "10.91.0.12");
        for (int i = 0; i < 2; i++) {
            LabHost c = clients.get(i);
            assertEquals(live, until(c + ": tasks.web without n3's endpoint", remaining(killed, DETECT),
                () -> lab.dig(c, "tasks.web"), live::equals), "within " + DETECT + " of the kill");
            String a = lab.agent(i);
            until(a + ": web-3 unhealthy or gone from web's backends, the others healthy", remaining(killed, DETECT),
                () -> lab.inspect(a, "service", "web"),
                s -> s != null && backendHealthy(s, "10.91.0.11") && backendHealthy(s, "10.91.0.12")
                    && backendGoneOrUnhealthy(s, "10.91.0.13"));
        }
        System.out.printf("n3 killed: its endpoint left tasks.web and the backends on n1 and n2 in %d ms (bound %s)%n",
            since(killed), DETECT);
        for (int i = 0; i < 2; i++) {
            for (int k = 0; k < 10; k++) {
                ExecResult r = request(clients.get(i), "web:80", 3);
                if (!r.ok()) {
                    r = request(clients.get(i), "web:80", 3);  // the one retry allowed
                }
                assertTrue(r.ok(), clients.get(i) + ": request " + k + " to web:80 with n3 dead: " + r);
                assertTrue(Set.of("web-1", "web-2").contains(r.stdout().trim()), "a live endpoint: " + r.stdout());
            }
        }

        long restarted = System.nanoTime();
        lab.restart(lab.agent(2));
        lab.awaitFormed();
        for (int i = 0; i < HOSTS; i++) {
            LabHost c = clients.get(i);
            assertEquals(WEB_IPS, until(c + ": tasks.web with n3's endpoint back", SPREAD,
                () -> lab.dig(c, "tasks.web"), WEB_IPS::equals), "n3 rejoined with its endpoints");
            String a = lab.agent(i);
            // each endpoint exactly once on every host: no stale entry of n3's previous run, no duplicate
            Map<String, Integer> seen = until(a + ": front's endpoints each once", AcceptanceLab.REJOIN,
                () -> endpointNames(lab.inspect(a, "network", "front")), frontEndpointsOnce()::equals);
            assertEquals(frontEndpointsOnce(), seen);
            until(a + ": web's three backends healthy again", SPREAD, () -> lab.inspect(a, "service", "web"),
                s -> s != null && WEB_IPS.stream().allMatch(ip -> backendHealthy(s, ip)));
        }
        System.out.printf("n3 restarted: whole again in %d ms%n", since(restarted));
        ExecResult r = request(clients.get(2), "web:80", 5);
        assertTrue(r.ok() && WEB_NAMES.contains(r.stdout().trim()), "n3's client reaches web again: " + r);
    }

    @Test
    @Order(4)
    void shouldKeepALongLivedConnectionAcrossHostsThroughAKillAndRestart() throws Exception {
        lab.ensureAllRunning();
        LabHost client = clients.get(0);
        Socket s = client.netns().call(() -> {
            Socket sock = new Socket();
            sock.connect(new InetSocketAddress("10.91.0.12", 7000), 5000);
            return sock;
        });
        try (s) {
            // TCP retransmits a segment sent while the path is down at 0.2, 0.4, ... 6.4 s: 12.6 s in all
            s.setSoTimeout((int) Duration.ofSeconds(13).plus(AgentProcesses.SCHEDULING_ALLOWANCE).toMillis());
            BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.UTF_8));
            OutputStream out = s.getOutputStream();
            assertEquals("before", exchange(in, out, "before"), "echo before the kill");
            String local = ":" + s.getLocalPort();

            long killed = System.nanoTime();
            lab.kill(lab.agent(1));   // the host of web-2, the server's side
            // sent while n2 is down: TCP retransmits it until the path is back
            out.write("during\n".getBytes(StandardCharsets.UTF_8));
            out.flush();
            lab.restart(lab.agent(1));
            lab.awaitFormed();
            long down = since(killed);
            assertEquals("during", in.readLine(), "what was sent while the agent was dead arrives after the restart");
            assertEquals("after", exchange(in, out, "after"), "the same connection carries data after the restart");
            String conns = web.get(1).exec("ss", "-Htn", "state", "established", "sport = :7000").stdout();
            assertTrue(conns.contains("10.91.0.21" + local) && conns.trim().split("\n").length == 1,
                "the server still has that one connection from client-1" + local + ": " + conns);
            System.out.printf("n2 killed and restarted (%d ms until formed again): the connection carried data "
                + "%d ms after the kill%n", down, since(killed));
        }
    }

    private static String exchange(BufferedReader in, OutputStream out, String line) throws Exception {
        out.write((line + "\n").getBytes(StandardCharsets.UTF_8));
        out.flush();
        return in.readLine();
    }

    /**
     * Each of front's endpoints once: the six containers and, since web publishes a port, every node's routing-mesh
     * endpoint {@code _ingress-<node>} (docs/mesh.md, "The ingress namespace").
     */
    private Map<String, Integer> frontEndpointsOnce() {
        Map<String, Integer> m = new TreeMap<>();
        FRONT_ENDPOINTS.forEach(n -> m.put(n, 1));
        for (int i = 0; i < HOSTS; i++) {
            m.put("_ingress-" + lab.agent(i), 1);
        }
        return m;
    }

    /** Endpoint name to how many times {@code network inspect --format json} lists it; empty when null. */
    private static Map<String, Integer> endpointNames(JsonNode network) {
        Map<String, Integer> m = new TreeMap<>();
        if (network != null && network.get("endpoints") != null) {
            for (JsonNode e : network.get("endpoints")) {
                m.merge(e.path("name").asText(), 1, Integer::sum);
            }
        }
        return m;
    }

    private static Set<String> names(JsonNode list) {
        Set<String> out = new TreeSet<>();
        for (JsonNode n : list) {
            out.add(n.path("name").asText());
        }
        return out;
    }

    private static boolean backendGoneOrUnhealthy(JsonNode service, String ip) {
        for (JsonNode b : service.path("backends")) {
            if (b.path("ip").asText().equals(ip) && b.path("healthy").asBoolean(true)) {
                return false;
            }
        }
        return true;
    }

    private static boolean backendHealthy(JsonNode service, String ip) {
        for (JsonNode b : service.path("backends")) {
            if (b.path("ip").asText().equals(ip)) {
                return b.path("healthy").asBoolean(false);
            }
        }
        return false;
    }

    /** Exit code {@code exit}, stdout as wanted (empty on an error), stderr free of Java's internals. */
    private static void assertClean(CliResult r, int exit) {
        assertEquals(exit, r.exit(), "exit code: " + r);
        assertFalse(r.err().contains("Exception") || r.err().contains("\tat "), "no stack trace: " + r);
        if (exit == 0) {
            assertTrue(r.err().isBlank(), "nothing on stderr: " + r);
        }
    }

    /** An error: exit code {@code exit}, nothing on stdout, stderr naming {@code problem}, no stack trace. */
    private static void assertError(CliResult r, int exit, String problem) {
        assertClean(r, exit);
        assertTrue(r.out().isEmpty(), "nothing on stdout: " + r);
        assertFalse(r.err().isBlank(), "a message on stderr: " + r);
        assertTrue(r.err().contains(problem), "stderr names '" + problem + "': " + r);
        if (exit == 1) {
            assertTrue(r.err().startsWith("Error: "), "an error line: " + r);
        }
    }

    private static Duration remaining(long since, Duration bound) {
        return bound.minusNanos(System.nanoTime() - since);
    }

    private static long since(long nanos) {
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - nanos);
    }

}
