package io.meshd.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DnsCommandTest {

    @TempDir
    Path dir;

    private final CliRun cli = new CliRun();

    private int run(String... args) {
        return cli.run(args);
    }

    private Path file(String text) throws Exception {
        Path f = dir.resolve("records.yaml");
        Files.writeString(f, text);
        return f;
    }

    @Test
    void shouldNameTheLineOfABadRecordsFileAndExitWithTwo() throws Exception {
        Path f = file("networks:\n  - name: front\n    endpoints:\n      - {name: web, addresses: [not-an-ip]}\n");
        assertEquals(2, run("dns", "--listen", "127.0.0.1:0", "--records", f.toString()));
        assertTrue(cli.err().contains("records.yaml:4: 'not-an-ip' is not an IPv4 or IPv6 address"),
            cli.err());
    }

    @Test
    void shouldRejectBadArgumentsWithTwo() throws Exception {
        Path f = file("networks:\n  - name: front\n");
        assertEquals(2, run("dns", "--listen", "localhost:53", "--records", f.toString()));
        assertTrue(cli.err().contains("not an IP address"), cli.err());
        assertEquals(2, run("dns", "--listen", "127.0.0.1:0", "--records", f.toString(), "--network", "back"));
        assertTrue(cli.err().contains("no such network"), cli.err());
        assertEquals(2, run("dns", "--records", f.toString()));
        String missing = "meshd-missing-" + ProcessHandle.current().pid();
        assertEquals(2, run("dns", "--listen", "127.0.0.1:0", "--records", f.toString(), "--netns", missing));
        assertTrue(cli.err().contains("--netns " + missing + ": open(/var/run/netns/" + missing
            + "): No such file or directory"), cli.err());
        assertEquals(2, run("dns", "--listen", "127.0.0.1:0", "--records", dir.resolve("missing.yaml").toString()));
    }

    @Test
    void shouldServeAndStop() throws Exception {
        Path f = file("networks:\n  - name: front\n    endpoints:\n      - {name: web, addresses: [10.0.0.5]}\n");
        assertEquals(0, run("dns", "--listen", "127.0.0.1:0", "--records", f.toString(), "--upstream",
            "127.0.0.1:9", "--exit-after", "1"));
        assertTrue(cli.out().contains("serving 1 network(s) [front] on [/127.0.0.1:"), cli.out());
    }

    @Test
    void shouldShowDnsInTheDemo() {
        assertEquals(0, run("demo"));
        // The answers, not just the question: both tasks (in either order), and another network's name refused.
        String tasks = "A tasks\\.web +-> NOERROR +\\[10\\.0\\.1\\.[34], 10\\.0\\.1\\.[34]\\]";
        assertTrue(java.util.regex.Pattern.compile(tasks).matcher(cli.out()).find(), cli.out());
        assertTrue(cli.out().contains("A secret.mesh        -> NXDOMAIN []"), cli.out());
    }
}
