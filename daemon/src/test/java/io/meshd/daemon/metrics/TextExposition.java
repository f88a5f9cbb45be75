package io.meshd.daemon.metrics;

import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A strict reader of the Prometheus text exposition format 0.0.4 (the Java client has a writer, no parser): every
 * line must be a {@code # HELP}, a {@code # TYPE} or a sample with valid metric and label names, correctly escaped
 * label values and a float value; each family's TYPE comes before its samples and at most once, samples of a family
 * are contiguous, and no series appears twice. Anything else throws, naming the line.
 */
public final class TextExposition {

    private static final String NAME = "[a-zA-Z_:][a-zA-Z0-9_:]*";
    private static final String LABEL = "[a-zA-Z_][a-zA-Z0-9_]*=\"(?:\\\\[\\\\\"n]|[^\"\\\\\\n])*\"";
    private static final String FLOAT = "[-+]?(?:[0-9]*\\.?[0-9]+(?:[eE][-+]?[0-9]+)?|Inf|NaN)";
    private static final Pattern HELP = Pattern.compile("# HELP (" + NAME + ") (?:[^\\\\\\n]|\\\\[\\\\n])*");
    private static final Pattern TYPE = Pattern.compile("# TYPE (" + NAME
        + ") (counter|gauge|histogram|summary|untyped)");
    private static final Pattern SAMPLE = Pattern.compile("(" + NAME + ")(\\{(?:" + LABEL + "(?:," + LABEL
        + ")*,?)?\\})? (" + FLOAT + ")(?: -?[0-9]+)?");

    /** Series ({@code name{labels}}, labels as written) to value, in order. */
    private final Map<String, Double> values = new LinkedHashMap<>();
    /** Family name to type. */
    private final Map<String, String> types = new LinkedHashMap<>();

    private TextExposition() {
    }

    /**
     * Reads a whole exposition.
     *
     * @param text what {@code /metrics} answered
     * @return the series and families
     * @throws IllegalArgumentException at the first line that breaks the format
     */
    public static TextExposition parse(String text) {
        TextExposition e = new TextExposition();
        Set<String> closed = new HashSet<>();
        Set<String> helped = new HashSet<>();
        String current = "";
        String[] lines = text.split("\n", -1);
        if (!lines[lines.length - 1].isEmpty()) {
            throw new IllegalArgumentException("the exposition does not end with a newline");
        }
        for (int i = 0; i < lines.length - 1; i++) {
            String line = lines[i];
            Matcher m;
            if ((m = HELP.matcher(line)).matches()) {
                require(helped.add(m.group(1)), i, line, "second HELP");
            } else if ((m = TYPE.matcher(line)).matches()) {
                require(!e.types.containsKey(m.group(1)), i, line, "second TYPE");
                e.types.put(m.group(1), m.group(2));
            } else if ((m = SAMPLE.matcher(line)).matches()) {
                String family = e.family(m.group(1));
                require(!closed.contains(family) || family.equals(current), i, line, "family split");
                if (!family.equals(current)) {
                    closed.add(current);
                    current = family;
                }
                String series = m.group(1) + (m.group(2) == null ? "" : m.group(2));
                require(e.values.put(series, Double.parseDouble(m.group(3).replace("Inf", "Infinity"))) == null, i,
                    line, "series twice");
            } else {
                throw new IllegalArgumentException("line " + (i + 1) + " is not HELP, TYPE or a sample: " + line);
            }
        }
        return e;
    }

    /** The family a sample name belongs to: its own, or a declared family it extends with a known suffix. */
    private String family(String sample) {
        for (String suffix : new String[] {"", "_bucket", "_sum", "_count"}) {
            if (sample.endsWith(suffix) && types.containsKey(sample.substring(0, sample.length() - suffix.length()))) {
                return sample.substring(0, sample.length() - suffix.length());
            }
        }
        throw new IllegalArgumentException("sample " + sample + " has no TYPE before it");
    }

    private static void require(boolean ok, int line, String text, String what) {
        if (!ok) {
            throw new IllegalArgumentException("line " + (line + 1) + ": " + what + ": " + text);
        }
    }

    /**
     * Every series and its value.
     *
     * @return {@code name{labels}} (as written) to value
     */
    public Map<String, Double> values() {
        return values;
    }

    /**
     * The declared type of each family.
     *
     * @return family name to {@code counter}, {@code gauge}, ...
     */
    public Map<String, String> types() {
        return types;
    }

    /**
     * The sum of every series of one metric name.
     *
     * @param name a sample name
     * @return the sum (0 if none)
     */
    public double sum(String name) {
        double sum = 0;
        for (Map.Entry<String, Double> e : values.entrySet()) {
            if (e.getKey().equals(name) || e.getKey().startsWith(name + "{")) {
                sum += e.getValue();
            }
        }
        return sum;
    }
}
