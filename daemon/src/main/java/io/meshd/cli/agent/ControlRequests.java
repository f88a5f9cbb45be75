package io.meshd.cli.agent;

import io.meshd.gossip.GossipNode;
import io.meshd.gossip.Member;
import io.meshd.gossip.security.Keyring;
import io.meshd.net.metrics.EnumCounters;
import io.meshd.net.metrics.MetricSource;
import io.meshd.net.metrics.MetricType;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;

/**
 * Answers one control request line for a node (the protocol is described on {@link ControlServer}). A request
 * is printable text: words separated by single spaces, the value of {@code put} being the rest of the line. A
 * line holding a control character, or an empty table or key, is refused, so every answer line is one line for
 * the client whatever the request held.
 */
final class ControlRequests {

    /** How requests ended, exported as {@code meshd_control_requests_total{outcome}}. */
    enum Outcome {
        /** Answered with {@code ok}. */
        OK,
        /** Answered with {@code error}. */
        ERROR,
    }

    private final GossipNode node;
    private final Optional<Keyring> keyring;
    private final MetricSource metrics;
    private final EnumCounters<Outcome> outcomes = new EnumCounters<>(Outcome.class, "meshd_control_requests_total",
        "Requests answered on the control socket, by outcome", "outcome");

    ControlRequests(GossipNode node, Optional<Keyring> keyring, MetricSource metrics) {
        this.node = node;
        this.keyring = keyring;
        this.metrics = metrics;
    }

    /** This protocol's own counters. */
    EnumCounters<Outcome> outcomes() {
        return outcomes;
    }

    /** Counts how a request ended. */
    void count(Outcome outcome) {
        outcomes.increment(outcome);
    }

    /**
     * Writes the answer to {@code line} ({@code ok} and its lines, or nothing when the request is refused).
     *
     * @throws IllegalArgumentException naming why the request is refused; nothing has been written then
     */
    void answer(String line, PrintWriter out) {
        requirePrintable(line);
        String[] w = line.split(" ", 4);
        switch (w[0]) {
            case "members" -> members(out);
            case "counters" -> counters(out);
            case "stats" -> stats(out);
            case "put" -> {
                need(w, 4);
                node.put(w[1], w[2], w[3].getBytes(StandardCharsets.UTF_8));
                out.println("ok");
            }
            case "get" -> {
                need(w, 3);
                byte[] value = node.get(w[1], w[2]).orElseThrow(() -> new IllegalArgumentException("no such key"));
                out.println("ok");
                out.println(new String(value, StandardCharsets.UTF_8));
            }
            case "entries" -> {
                need(w, 2);
                Map<String, byte[]> entries = node.entries(w[1]);
                out.println("ok");
                entries.forEach((k, v) -> out.println(k + "\t" + new String(v, StandardCharsets.UTF_8)));
            }
            case "delete" -> {
                need(w, 3);
                node.delete(w[1], w[2]);
                out.println("ok");
            }
            case "keys" -> keys(w, out);
            default -> throw new IllegalArgumentException("unknown request '" + w[0]
                + "' (members, counters, stats, put, get, entries, delete, keys)");
        }
    }

    private void members(PrintWriter out) {
        StringBuilder lines = new StringBuilder();
        for (Member m : node.members()) {
            lines.append(m.name()).append('\t').append(m.address().getAddress().getHostAddress()).append(':')
                .append(m.address().getPort()).append('\t').append(m.state()).append('\t').append(m.incarnation())
                .append('\n');
        }
        out.println("ok");
        out.print(lines);
    }

    private void counters(PrintWriter out) {
        StringBuilder lines = new StringBuilder();
        metrics.collect((name, type, help, labels, value) -> lines.append(name)
            .append(labels.names().isEmpty() ? "" : labels.toString()).append('\t').append((long) value).append('\n'));
        out.println("ok");
        out.print(lines);
    }

    /** One line per sample: name, type, labels as {@code k=v,k=v} (or {@code -}), value. */
    private void stats(PrintWriter out) {
        StringBuilder lines = new StringBuilder();
        metrics.collect((name, type, help, labels, value) -> {
            StringBuilder l = new StringBuilder();
            for (int i = 0; i < labels.names().size(); i++) {
                l.append(i == 0 ? "" : ",").append(labels.names().get(i)).append('=').append(labels.values().get(i));
            }
            lines.append(name).append('\t').append(type == MetricType.COUNTER ? "counter" : "gauge").append('\t')
                .append(l.length() == 0 ? "-" : l).append('\t').append(number(value)).append('\n');
        });
        out.println("ok");
        out.print(lines);
    }

    /** Integral values without a fraction, others as Java prints doubles. */
    static String number(double value) {
        return value == Math.rint(value) && Math.abs(value) < 1e15 ? Long.toString((long) value)
            : Double.toString(value);
    }

    private void keys(String[] w, PrintWriter out) {
        Keyring ring = keyring.orElseThrow(() -> new IllegalArgumentException("encryption is off (no --key-file)"));
        if (w.length == 1) {
            out.println("ok");
            ring.keys().forEach(k -> out.println(Base64.getEncoder().encodeToString(k)));
            return;
        }
        need(w, 3);
        byte[] key;
        try {
            key = Base64.getDecoder().decode(w[2].strip());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("key is not base64");
        }
        switch (w[1]) {
            case "install" -> ring.install(key);
            case "use" -> ring.use(key);
            case "remove" -> ring.remove(key);
            default -> throw new IllegalArgumentException("keys install|use|remove KEY");
        }
        out.println("ok");
    }

    /** Control characters would split or garble the answer lines that echo the request's words. */
    private static void requirePrintable(String line) {
        for (int i = 0; i < line.length(); i++) {
            if (Character.isISOControl(line.charAt(i))) {
                throw new IllegalArgumentException("request holds control character " + (int) line.charAt(i)
                    + " at " + i + " (requests are printable text, words separated by single spaces)");
            }
        }
    }

    /** At least {@code n} words, none of the first {@code n - 1} after the verb empty (a doubled space). */
    private static void need(String[] words, int n) {
        if (words.length < n) {
            throw new IllegalArgumentException("missing arguments");
        }
        for (int i = 1; i < Math.min(n, 3); i++) {
            if (words[i].isEmpty()) {
                throw new IllegalArgumentException("empty table or key (words are separated by single spaces)");
            }
        }
    }
}
