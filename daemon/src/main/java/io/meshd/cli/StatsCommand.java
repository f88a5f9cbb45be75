package io.meshd.cli;

import com.fasterxml.jackson.databind.JsonNode;
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
 * person, one row per sample, read from the agent's API ({@code GET /v1/stats}).
 */
@Command(name = "stats", mixinStandardHelpOptions = true,
    description = "Shows the local agent's metrics as a table: metric, type, labels, value (what --metrics exports).")
final class StatsCommand implements Callable<Integer> {

    private static final String[] HEADER = {"METRIC", "TYPE", "LABELS", "VALUE"};

    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    @Option(names = "--socket", defaultValue = AgentCommand.DEFAULT_SOCKET,
        description = "The agent's API socket (default: ${DEFAULT-VALUE}).")
    private Path socket;

    @Option(names = "--nonzero", description = "Leave out rows whose value is 0.")
    private boolean nonzero;

    @Option(names = "--match", paramLabel = "TEXT", defaultValue = "",
        description = "Only rows whose metric name contains TEXT (e.g. gossip, drops).")
    private String match;

    @Override
    public Integer call() {
        JsonNode answer = AgentQuery.get(spec, socket, "/v1/stats");
        if (answer == null) {
            return 1;
        }
        List<String[]> rows = new ArrayList<>();
        rows.add(HEADER);
        for (JsonNode s : answer) {
            StringBuilder labels = new StringBuilder();
            s.path("labels").properties().forEach(e -> labels.append(labels.length() == 0 ? "" : ",")
                .append(e.getKey()).append('=').append(e.getValue().asText()));
            String[] f = {s.path("name").asText(), s.path("type").asText(),
                labels.length() == 0 ? "-" : labels.toString(), number(s.path("value").asDouble())};
            if (f[0].contains(match) && !(nonzero && f[3].equals("0"))) {
                rows.add(f);
            }
        }
        print(rows, spec.commandLine().getOut());
        return 0;
    }

    /** Integral values without a fraction, others as Java prints doubles. */
    static String number(double value) {
        return value == Math.rint(value) && Math.abs(value) < 1e15 ? Long.toString((long) value)
            : Double.toString(value);
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
