package io.meshd.cli;

import io.meshd.cli.agent.ControlClient;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
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
        description = "The agent's control socket (default: ${DEFAULT-VALUE}).")
    private Path socket;

    @Override
    public Integer call() {
        List<String> lines;
        try {
            lines = ControlClient.request(socket, "members");
        } catch (IOException e) {
            spec.commandLine().getErr().println("cannot reach the agent at " + socket + ": " + e.getMessage());
            return 1;
        }
        PrintWriter out = spec.commandLine().getOut();
        String format = "%-24s %-24s %-8s %s%n";
        out.printf(format, "NAME", "ADDRESS", "STATE", "INCARNATION");
        for (String l : lines) {
            String[] f = l.split("\t");
            if (f.length == 4) {
                out.printf(format, f[0], f[1], f[2], f[3]);
            }
        }
        out.flush();
        return 0;
    }
}
