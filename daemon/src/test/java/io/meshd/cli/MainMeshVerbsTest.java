package io.meshd.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The mesh verbs as {@code meshd} registers them. */
class MainMeshVerbsTest {

    @Test
    void shouldDefaultEveryVerbsSocketToTheAgents() {
        for (List<String> verb : List.of(List.of("network", "create"), List.of("network", "ls"),
            List.of("network", "inspect"), List.of("network", "rm"), List.of("attach"), List.of("detach"),
            List.of("service", "create"), List.of("service", "ls"), List.of("service", "inspect"),
            List.of("service", "update"), List.of("service", "rm"))) {
            picocli.CommandLine cli = Main.commandLine();
            for (String name : verb) {
                cli = cli.getSubcommands().get(name);
            }
            assertEquals(AgentCommand.DEFAULT_SOCKET, cli.getCommandSpec().findOption("--socket").defaultValue(),
                String.join(" ", verb));
        }
    }

    @Test
    void shouldPrintUsageAndExit2ForAGroupWithoutItsSubcommand() {
        CliRun cli = new CliRun();
        assertEquals(2, cli.run("network"));
        assertTrue(cli.err().contains("Missing subcommand: create, ls, inspect or rm"), cli.err());
        assertEquals(2, cli.run("service"));
        assertTrue(cli.err().contains("Missing subcommand: create, ls, inspect, update or rm"), cli.err());
    }
}
