package io.meshd.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.meshd.harness.LabRequirement;
import io.meshd.harness.RequiresLab;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code meshd dns --netns}: the responder at 127.0.0.11:53 inside a namespace, asked by dig from inside it. */
@RequiresLab(commands = {"dig"})
class DnsCommandLabTest {

    @TempDir
    Path dir;

    private static String run(String... command) throws IOException, InterruptedException {
        command[0] = LabRequirement.onPath(command[0]).map(Object::toString).orElse(command[0]);
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        p.waitFor(20, TimeUnit.SECONDS);
        return out;
    }

    @Test
    void shouldServeInsideANamespace() throws Exception {
        String ns = "mdcli" + ProcessHandle.current().pid() % 100000;
        run("ip", "netns", "add", ns);
        try {
            run("ip", "-n", ns, "link", "set", "lo", "up");
            Path records = dir.resolve("records.yaml");
            Files.writeString(records, "networks:\n  - name: front\n    services:\n"
                + "      - {name: web, vips: [10.0.1.2]}\n");
            CliRun cli = new CliRun();
            CompletableFuture<Integer> exit = CompletableFuture.supplyAsync(() -> cli.run("dns", "--netns", ns,
                "--listen", "127.0.0.11:53", "--records", records.toString(), "--domain", "mesh", "--upstream",
                "127.0.0.1:9", "--threads", "1", "--exit-after", "4"));
            String answer = "";
            for (int i = 0; i < 40 && !answer.contains("10.0.1.2"); i++) {
                Thread.sleep(100);
                answer = run("ip", "netns", "exec", ns, "dig", "@127.0.0.11", "+short", "+time=1", "+tries=1",
                    "web.front.mesh");
            }
            assertEquals("10.0.1.2", answer.trim(), cli.out() + cli.err());
            assertEquals(0, exit.get(10, TimeUnit.SECONDS), cli.out() + cli.err());
            assertTrue(cli.out().contains("stopped"), cli.out() + cli.err());
        } finally {
            run("ip", "netns", "del", ns);
        }
    }

    /**
     * Two namespaces served by one process, each with its own networks ({@code --netns NAME=NET}); one has
     * {@code lo} down. Then the records file changes ({@code --watch}: the new name answers) and one namespace is
     * deleted (the process stops serving it, the other keeps answering).
     */
    @Test
    void shouldServeSeveralNamespacesReloadAndForgetADeletedOne() throws Exception {
        String a = "mdcla" + ProcessHandle.current().pid() % 100000;
        String b = "mdclb" + ProcessHandle.current().pid() % 100000;
        run("ip", "netns", "add", a);
        run("ip", "netns", "add", b);
        try {
            run("ip", "-n", a, "link", "set", "lo", "up");
            Path records = dir.resolve("records.yaml");
            String front = "networks:\n  - name: front\n    services:\n      - {name: web, vips: [10.0.1.2]}\n";
            String back = "  - name: back\n    services:\n      - {name: db, vips: [10.0.2.2]}\n";
            Files.writeString(records, front + back);
            CliRun cli = new CliRun();
            CompletableFuture<Integer> exit = CompletableFuture.supplyAsync(() -> cli.run("dns", "--netns",
                a + "=front", "--netns", b + "=back", "--records", records.toString(), "--domain", "mesh",
                "--upstream", "127.0.0.1:9", "--threads", "1", "--watch", "--exit-after", "15"));
            assertEquals("10.0.1.2", digUntil(a, "web.front.mesh", "10.0.1.2"), cli.out() + cli.err());
            assertEquals("10.0.2.2", digUntil(b, "db.back.mesh", "10.0.2.2"), cli.out() + cli.err());
            assertTrue(run("ip", "netns", "exec", a, "dig", "@127.0.0.11", "db.back.mesh").contains("NXDOMAIN"));
            assertTrue(run("ip", "netns", "exec", b, "dig", "@127.0.0.11", "web.front.mesh").contains("NXDOMAIN"));

            Path next = dir.resolve("records.next");
            Files.writeString(next, front + "      - {name: api, vips: [10.0.1.5]}\n" + back);
            Files.move(next, records, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
            assertEquals("10.0.1.5", digUntil(a, "api.front.mesh", "10.0.1.5"), cli.out() + cli.err());

            run("ip", "netns", "del", b);
            for (int i = 0; i < 100 && !cli.out().contains("namespace " + b + " is gone"); i++) {
                Thread.sleep(50);
            }
            assertTrue(cli.out().contains("namespace " + b + " is gone"), cli.out() + cli.err());
            assertEquals("10.0.1.2", digUntil(a, "web.front.mesh", "10.0.1.2"));
            assertEquals(0, exit.get(30, TimeUnit.SECONDS), cli.out() + cli.err());
            assertTrue(cli.out().contains("stopped"), cli.out() + cli.err());
        } finally {
            run("ip", "netns", "del", a);
            run("ip", "netns", "del", b);
        }
    }

    /** Asks dig inside {@code ns} until the answer is {@code want} (at most 40 tries of one second each). */
    private static String digUntil(String ns, String name, String want) throws Exception {
        String answer = "";
        for (int i = 0; i < 40 && !answer.trim().equals(want); i++) {
            answer = run("ip", "netns", "exec", ns, "dig", "@127.0.0.11", "+short", "+time=1", "+tries=1", name);
        }
        return answer.trim();
    }
}
