package io.meshd.cli.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

/** {@link ConfigFile} on a small command with every kind of option: flag, number, text, list. */
class ConfigFileTest {

    @Command(name = "probe")
    static final class Probe {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;
        @Option(names = "--config")
        Path config;
        @Option(names = "--verbose")
        boolean verbose;
        @Option(names = "--port")
        int port = 7;
        @Option(names = "--name")
        String name;
        @Option(names = {"-t", "--tag"})
        List<String> tags = new ArrayList<>();
    }

    @TempDir
    Path dir;

    private Probe load(String yaml, String... args) throws IOException {
        Path f = dir.resolve("c.yaml");
        Files.writeString(f, yaml, StandardCharsets.UTF_8);
        Probe p = new Probe();
        new CommandLine(p).parseArgs(args);
        ConfigFile.apply(f, p.spec, Probe::new);
        return p;
    }

    @Test
    void shouldSetFlagsNumbersTextAndListsByLongName() throws IOException {
        Probe p = load("verbose: true\nport: 9\nname: x\ntag: [a, b]\n");
        assertTrue(p.verbose);
        assertEquals(9, p.port);
        assertEquals("x", p.name);
        assertEquals(List.of("a", "b"), p.tags);
        assertEquals(List.of("one"), load("tag: one\n").tags, "one value for a list");
        assertFalse(load("verbose: false\n").verbose);
    }

    @Test
    void shouldLetTheCommandLineWinKeyByKeyAndAListReplaceTheFilesList() throws IOException {
        Probe p = load("port: 9\nname: x\ntag: [a, b]\n", "--name", "y", "-t", "c");
        assertEquals("y", p.name);
        assertEquals(9, p.port);
        assertEquals(List.of("c"), p.tags);
    }

    @Test
    void shouldTreatAnEmptyFileAndNullValuesAsNothingSet() throws IOException {
        Probe p = load("");
        assertEquals(7, p.port);
        assertEquals(7, load("port:\n").port);
    }

    @Test
    void shouldRefuseEveryBadShapeNamingTheKey() {
        assertEquals("key 'verbose': bad value 'yes please' (expected true or false)",
            message("verbose: yes please\n"));
        assertEquals("key 'port': bad value 'many': Invalid value for option '--port': 'many' is not an int",
            message("port: many\n"));
        assertEquals("key 'port': takes one value, not a list: [1, 2]", message("port: [1, 2]\n"));
        assertEquals("key 'tag': bad list item '[x]'", message("tag: [[x]]\n"));
        assertEquals("key 1 is not a name", message("1: x\n"));
        assertTrue(message("t: x\n").startsWith("unknown key 't' (keys are the agent's long options: name, port, "
            + "tag, verbose)"), "short names and --config are not keys");
    }

    private String message(String yaml) {
        ParameterException e = assertThrows(ParameterException.class, () -> load(yaml));
        String prefix = dir.resolve("c.yaml") + ": ";
        assertTrue(e.getMessage().startsWith(prefix), e.getMessage());
        return e.getMessage().substring(prefix.length());
    }
}
