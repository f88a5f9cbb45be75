package io.meshd.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code meshd members}: asks the local agent for its member list and prints it as a table. */
@Command(name = "members", mixinStandardHelpOptions = true,
    description = "Lists the cluster members the local agent knows: name, address, state, incarnation.")
final class MembersCommand implements Callable<Integer> {

    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    @Option(names = "--socket", defaultValue = AgentCommand.DEFAULT_SOCKET,
        description = "The agent's API socket (default: ${DEFAULT-VALUE}).")
    private Path socket;

    @Override
    public Integer call() {
        JsonNode answer = AgentQuery.get(spec, socket, "/v1/members");
        if (answer == null) {
            return 1;
        }
        PrintWriter out = spec.commandLine().getOut();
        String format = "%-24s %-24s %-8s %s%n";
        out.printf(format, "NAME", "ADDRESS", "STATE", "INCARNATION");
        for (JsonNode m : answer) {
            out.printf(format, m.path("name").asText(), m.path("address").asText(),
                m.path("state").asText().toUpperCase(Locale.ROOT), m.path("incarnation").asText());
        }
        out.flush();
        return 0;
    }
}
