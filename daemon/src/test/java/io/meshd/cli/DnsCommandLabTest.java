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
}
