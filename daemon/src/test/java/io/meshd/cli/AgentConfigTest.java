package io.meshd.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * {@code meshd agent --config FILE}, {@code --print-config}, and every way a configuration value is refused: exit code
 * 2, a message naming the key and the bad value, and nothing started (no API socket file).
 */
class AgentConfigTest {

    @TempDir
    Path dir;

    private Path file(String yaml) throws IOException {
        Path f = dir.resolve("meshd.yaml");
        Files.writeString(f, yaml, StandardCharsets.UTF_8);
        return f;
    }

    private Path socket() {
        return dir.resolve("agent.sock");
    }

    /** Runs the agent with {@code yaml} as its config file; only for runs that must stop before starting. */
    private CliRun refused(String yaml, String... extra) throws IOException {
        CliRun cli = new CliRun();
        String[] args = new String[4 + extra.length];
        args[0] = "agent";
        args[1] = "--config";
        args[2] = file(yaml).toString();
        args[3] = "--socket=" + socket();
        System.arraycopy(extra, 0, args, 4, extra.length);
        assertEquals(2, cli.run(args), cli.out() + cli.err());
        assertFalse(Files.exists(socket()), "nothing started");
        return cli;
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '"', value = {
        "unknown key | name: a1\\nbind: 127.0.0.1:0\\nprobe-intervall: 1s | unknown key 'probe-intervall'",
        "bad duration | name: a1\\nbind: 127.0.0.1:0\\nprobe-interval: 5x | key 'probe-interval': bad value '5x'",
        "zero duration | name: a1\\nbind: 127.0.0.1:0\\ngossip-interval: 0s | key 'gossip-interval': bad value '0s'",
        "not an integer | name: a1\\nbind: 127.0.0.1:0\\nsuspicion-mult: lots | "
            + "key 'suspicion-mult': bad value 'lots'",
        "bad address | name: a1\\nbind: 127.0.0.1:70000 | key 'bind': bad value '127.0.0.1:70000'",
        "bad join item | name: a1\\nbind: 127.0.0.1:0\\njoin: [127.0.0.1:1, nowhere] | key 'join': bad value",
        "list for one value | name: [a1, a2]\\nbind: 127.0.0.1:0 | key 'name': takes one value, not a list",
        "mapping as value | name: {first: a1}\\nbind: 127.0.0.1:0 | key 'name': expected a value, not a mapping",
        "bad log level | name: a1\\nbind: 127.0.0.1:0\\nlog-level: loud | key 'log-level': bad value 'loud'",
        "bad log format | name: a1\\nbind: 127.0.0.1:0\\nlog-format: xml | key 'log-format': bad value 'xml'",
        "bad metrics address | name: a1\\nbind: 127.0.0.1:0\\nmetrics: localhost | "
            + "key 'metrics': bad value 'localhost'",
        "bad profile | name: a1\\nbind: 127.0.0.1:0\\nprofile: moon | --profile must be lan, wan or local, "
            + "not 'moon'",
        "missing name | bind: 127.0.0.1:0 | missing --name",
        "not a mapping | - name: a1 | expected a mapping",
        "not YAML | 'name: a1 | is not valid YAML",
        "config key in config | config: other.yaml | unknown key 'config'",
    })
    void shouldRefuseABadConfigurationNamingKeyAndValueWithExitCode2(String what, String yaml, String message)
        throws IOException {
        CliRun cli = refused(yaml.replace("\\n", "\n"));
        assertTrue(cli.err().contains(message), what + ": " + cli.err());
        assertTrue(cli.err().contains("Usage: meshd agent"), cli.err());
    }

    @Test
    void shouldRefuseAMissingConfigFile() {
        CliRun cli = new CliRun();
        assertEquals(2, cli.run("agent", "--config", dir.resolve("nope.yaml").toString()));
        assertTrue(cli.err().contains("cannot read config file"), cli.err());
    }

    @Test
    void shouldRefuseABadLogLevelFlag() {
        CliRun cli = new CliRun();
        assertEquals(2, cli.run("agent", "--name", "a1", "--bind", "127.0.0.1:0", "--log-level", "loud",
            "--socket", socket().toString()));
        assertTrue(cli.err().contains("'loud' is not a log level (error, warn, info or debug)"), cli.err());
    }

    @Test
    void shouldRefuseAMetricsAddressItCannotBindBeforeStartingAnything() throws IOException {
        try (ServerSocket taken = new ServerSocket()) {
            taken.bind(new InetSocketAddress("127.0.0.1", 0));
            CliRun cli = new CliRun();
            assertEquals(2, cli.run("agent", "--name", "a1", "--bind", "127.0.0.1:0", "--metrics",
                "127.0.0.1:" + taken.getLocalPort(), "--socket", socket().toString()));
            assertTrue(cli.err().contains("--metrics: cannot serve on 127.0.0.1:" + taken.getLocalPort()), cli.err());
            assertFalse(Files.exists(socket()), "nothing started");
        }
    }

    @Test
    void shouldPrintTheEffectiveConfigurationWithFlagsOverTheFile() throws IOException {
        Path f = file("name: from-file\nbind: 127.0.0.1:7946\njoin:\n  - 10.0.0.1:7946\n  - '[fd00::1]:7946'\n"
            + "probe-interval: 1500ms\nlog-level: info\nmetrics: 127.0.0.1:9108\n");
        CliRun cli = new CliRun();
        assertEquals(0, cli.run("agent", "--config", f.toString(), "--print-config", "--name", "from-flag",
            "--probe-interval", "2s"), cli.err());
        String yaml = cli.out();
        assertTrue(yaml.contains("name: from-flag\n"), "the flag wins: " + yaml);
        assertTrue(yaml.contains("probe-interval: 2s\n"), "the flag wins: " + yaml);
        assertTrue(yaml.contains("bind: 127.0.0.1:7946\n"), "the file fills the rest: " + yaml);
        assertTrue(yaml.contains("join:\n- 10.0.0.1:7946\n- '[fd00:0:0:0:0:0:0:1]:7946'\n"), yaml);
        assertTrue(yaml.contains("log-level: info\n") && yaml.contains("metrics: 127.0.0.1:9108\n"), yaml);
        assertTrue(yaml.contains("# probe-timeout:\n"), "unset keys are listed as comments: " + yaml);
        assertTrue(yaml.contains("profile: lan\n"), "defaults are shown: " + yaml);
        assertFalse(yaml.contains("config") || yaml.contains("help"), yaml);
    }

    @Test
    void shouldReadBackWhatItPrints() throws IOException {
        CliRun first = new CliRun();
        assertEquals(0, first.run("agent", "--print-config", "--name", "a1", "--bind", "[::1]:0", "--join",
            "127.0.0.1:1", "--label", "prod", "--suspicion-mult", "5", "--reconnect-interval", "90s",
            "--socket", "/tmp/x.sock"), first.err());
        Path f = file(first.out());
        CliRun second = new CliRun();
        assertEquals(0, second.run("agent", "--config", f.toString(), "--print-config"), second.err());
        assertEquals(first.out(), second.out());
        assertTrue(first.out().contains("reconnect-interval: 90s\n"), first.out());
    }

    @Test
    void shouldDocumentEveryAgentOptionInCliMdAndEveryKeyInTheExample() throws IOException {
        String cliMd = Files.readString(Path.of("..", "docs", "cli.md"), StandardCharsets.UTF_8);
        String example = Files.readString(Path.of("..", "examples", "meshd.yaml"), StandardCharsets.UTF_8);
        var agent = Main.commandLine().getSubcommands().get("agent").getCommandSpec();
        for (var o : agent.options()) {
            if (!o.usageHelp() && !o.versionHelp()) {
                assertTrue(cliMd.contains("`" + o.longestName()), "docs/cli.md documents " + o.longestName());
            }
        }
        for (String key : io.meshd.cli.agent.ConfigFile.keys(agent).keySet()) {
            assertTrue(example.contains("\n" + key + ":") || example.contains("# " + key + ":"),
                "examples/meshd.yaml shows " + key);
        }
    }

    @Test
    void shouldShipAnExampleFileThatValidates() {
        Path example = Path.of("..", "examples", "meshd.yaml");
        assertTrue(Files.exists(example), example.toAbsolutePath().toString());
        CliRun cli = new CliRun();
        assertEquals(0, cli.run("agent", "--config", example.toString(), "--print-config"), cli.err());
        assertTrue(cli.out().contains("name: "), cli.out());
    }
}
