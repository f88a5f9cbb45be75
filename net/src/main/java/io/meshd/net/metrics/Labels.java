package io.meshd.net.metrics;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The labels of one exported sample, as ordered name/value pairs ({@code reason="unknown-vni"}).
 *
 * <p>Names follow the Prometheus rule ({@code [a-zA-Z_][a-zA-Z0-9_]*}, no {@code __} prefix) so every exporter can
 * print them unchanged; values are any text. Immutable; {@link #and} returns a new instance.
 */
public final class Labels {
    private static final Pattern NAME = Pattern.compile("[a-zA-Z_][a-zA-Z0-9_]*");
    private static final Labels NONE = new Labels(List.of(), List.of());

    private final List<String> names;
    private final List<String> values;

    private Labels(List<String> names, List<String> values) {
        this.names = names;
        this.values = values;
    }

    /**
     * No labels.
     *
     * @return the empty set
     */
    public static Labels none() {
        return NONE;
    }

    /**
     * One label.
     *
     * @param name a label name
     * @param value its value
     * @return the labels
     * @throws IllegalArgumentException if the name is not a valid label name
     */
    public static Labels of(String name, String value) {
        return NONE.and(name, value);
    }

    /**
     * These labels and one more.
     *
     * @param name a label name not already present
     * @param value its value
     * @return new labels
     * @throws IllegalArgumentException if the name is invalid or already present
     */
    public Labels and(String name, String value) {
        if (!NAME.matcher(name).matches() || name.startsWith("__")) {
            throw new IllegalArgumentException("invalid label name: " + name);
        }
        if (names.contains(name)) {
            throw new IllegalArgumentException("duplicate label name: " + name);
        }
        List<String> n = new ArrayList<>(names);
        List<String> v = new ArrayList<>(values);
        n.add(name);
        v.add(value);
        return new Labels(Collections.unmodifiableList(n), Collections.unmodifiableList(v));
    }

    /**
     * The label names, in the order they were added.
     *
     * @return an unmodifiable list
     */
    public List<String> names() {
        return names;
    }

    /**
     * The label values, index for index with {@link #names()}.
     *
     * @return an unmodifiable list
     */
    public List<String> values() {
        return values;
    }

    /**
     * The value of one label.
     *
     * @param name a label name
     * @return its value, or the empty string if absent (as Prometheus treats a missing label)
     */
    public String value(String name) {
        int i = names.indexOf(name);
        return i < 0 ? "" : values.get(i);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Labels && ((Labels) o).names.equals(names) && ((Labels) o).values.equals(values);
    }

    @Override
    public int hashCode() {
        return names.hashCode() * 31 + values.hashCode();
    }

    @Override
    public String toString() {
        StringBuilder s = new StringBuilder("{");
        for (int i = 0; i < names.size(); i++) {
            s.append(i == 0 ? "" : ",").append(names.get(i)).append("=\"").append(values.get(i)).append('"');
        }
        return s.append('}').toString();
    }
}
