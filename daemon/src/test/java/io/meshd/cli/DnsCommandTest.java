package io.meshd.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class DnsCommandTest {

    @TempDir
    Path dir;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        CommandLine cli = Main.commandLine();
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        return cli.execute(args);
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
        assertTrue(err.toString().contains("records.yaml:4: 'not-an-ip' is not an IPv4 or IPv6 address"),
            err.toString());
    }

    @Test
    void shouldRejectBadArgumentsWithTwo() throws Exception {
        Path f = file("networks:\n  - name: front\n");
        assertEquals(2, run("dns", "--listen", "localhost:53", "--records", f.toString()));
        assertTrue(err.toString().contains("not an IP address"), err.toString());
        assertEquals(2, run("dns", "--listen", "127.0.0.1:0", "--records", f.toString(), "--network", "back"));
        assertTrue(err.toString().contains("no such network"), err.toString());
        assertEquals(2, run("dns", "--records", f.toString()));
        assertEquals(2, run("dns", "--listen", "127.0.0.1:0", "--records", dir.resolve("missing.yaml").toString()));
    }

    @Test
    void shouldServeAndStop() throws Exception {
        Path f = file("networks:\n  - name: front\n    endpoints:\n      - {name: web, addresses: [10.0.0.5]}\n");
        assertEquals(0, run("dns", "--listen", "127.0.0.1:0", "--records", f.toString(), "--upstream",
            "127.0.0.1:9", "--exit-after", "1"));
        assertTrue(out.toString().contains("serving 1 network(s) [front] on [/127.0.0.1:"), out.toString());
    }

    @Test
    void shouldShowDnsInTheDemo() {
        assertEquals(0, run("demo"));
        assertTrue(out.toString().contains("tasks.web"), out.toString());
    }
}
