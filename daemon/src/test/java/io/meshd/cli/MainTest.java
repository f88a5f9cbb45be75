package io.meshd.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class MainTest {

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        CommandLine cli = Main.commandLine();
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        return cli.execute(args);
    }

    @Test
    void shouldPrintVersionFromBuild() {
        assertEquals(0, run("--version"));
        assertTrue(out.toString().startsWith("meshd 0."), out.toString());
    }

    @Test
    void shouldListSubcommandsInHelp() {
        assertEquals(0, run("--help"));
        assertTrue(out.toString().contains("demo"), out.toString());
    }

    @Test
    void shouldExitWithTwoOnUnknownOption() {
        assertEquals(2, run("--no-such-option"));
        assertTrue(err.toString().contains("Unknown option"), err.toString());
    }

    @Test
    void shouldRunDemoToCompletion() {
        assertEquals(0, run("demo"));
        assertTrue(out.toString().contains("demo finished"), out.toString());
    }
}
