package io.meshd.cli;

import io.meshd.cli.agent.ControlClient;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code meshd stats}: the local agent's counters and gauges (what {@code --metrics} exports) as a table for a
 * person, one row per sample, read over the control socket ({@code stats} request).
 */
@Command(name = "stats", mixinStandardHelpOptions = true,
    description = "Shows the local agent's metrics as a table: metric, type, labels, value (what --metrics exports).")
final class StatsCommand implements Callable<Integer> {

    private static final String[] HEADER = {"METRIC", "TYPE", "LABELS", "VALUE"};

    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    @Option(names = "--socket", defaultValue = AgentCommand.DEFAULT_SOCKET,
        description = "The agent's control socket (default: ${DEFAULT-VALUE}).")
    private Path socket;

    @Option(names = "--nonzero", description = "Leave out rows whose value is 0.")
    private boolean nonzero;

    @Option(names = "--match", paramLabel = "TEXT", defaultValue = "",
        description = "Only rows whose metric name contains TEXT (e.g. gossip, drops).")
    private String match;

    @Override
    public Integer call() {
        List<String> lines;
        try {
            lines = ControlClient.request(socket, "stats");
        } catch (IOException e) {
            spec.commandLine().getErr().println("cannot reach the agent at " + socket + ": " + e.getMessage());
            return 1;
        }
        List<String[]> rows = new ArrayList<>();
        rows.add(HEADER);
        for (String l : lines) {
            String[] f = l.split("\t");
            if (f.length == HEADER.length && f[0].contains(match) && !(nonzero && f[3].equals("0"))) {
                rows.add(f);
            }
        }
        print(rows, spec.commandLine().getOut());
        return 0;
    }

    /** Left-aligned text columns and a right-aligned value column, each as wide as its widest cell. */
    static void print(List<String[]> rows, PrintWriter out) {
        int[] width = new int[HEADER.length];
        for (String[] r : rows) {
            for (int i = 0; i < width.length; i++) {
                width[i] = Math.max(width[i], r[i].length());
            }
        }
        String format = "%-" + width[0] + "s  %-" + width[1] + "s  %-" + width[2] + "s  %" + width[3] + "s%n";
        for (String[] r : rows) {
            out.printf(format, (Object[]) r);
        }
        out.flush();
    }
}
