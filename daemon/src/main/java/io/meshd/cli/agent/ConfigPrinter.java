package io.meshd.cli.agent;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.Yaml;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * Writes a command's effective configuration as YAML that {@link ConfigFile} reads back: one key per option (the
 * keys of {@link ConfigFile#keys}), with its value after the file and the command line were applied. An option with
 * no value (its built-in default applies, like a timing the profile sets) is written as a comment, so the output
 * lists every key and reads back to the same configuration.
 */
public final class ConfigPrinter {

    private ConfigPrinter() {
    }

    /**
     * The effective configuration of {@code spec}.
     *
     * @param spec a parsed command
     * @return YAML text, one key per line (lists in block style)
     */
    public static String yaml(CommandSpec spec) {
        DumperOptions options = new DumperOptions();
        options.setDefaultFlowStyle(DumperOptions.FlowStyle.BLOCK);
        Yaml yaml = new Yaml(options);
        StringBuilder out = new StringBuilder();
        for (Map.Entry<String, OptionSpec> e : ConfigFile.keys(spec).entrySet()) {
            Object value = e.getValue().getValue();
            boolean unset = value == null || value instanceof Collection<?> c && c.isEmpty();
            if (unset) {
                out.append("# ").append(e.getKey()).append(":\n");
            } else {
                out.append(yaml.dump(Map.of(e.getKey(), text(value))));
            }
        }
        return out.toString();
    }

    /**
     * A value as the option's converter reads it back.
     *
     * @param value an option's typed value
     * @return a string, a number, a boolean or a list of those
     */
    public static Object text(Object value) {
        if (value instanceof Collection<?> c) {
            List<Object> items = new ArrayList<>();
            c.forEach(item -> items.add(text(item)));
            return items;
        }
        if (value instanceof InetSocketAddress a) {
            String host = a.getAddress().getHostAddress();
            return (host.contains(":") ? "[" + host + "]" : host) + ":" + a.getPort();
        }
        if (value instanceof Duration d) {
            return d.toMillis() % 1000 == 0 ? d.toSeconds() + "s" : d.toMillis() + "ms";
        }
        if (value instanceof Enum<?> en) {
            return en.name().toLowerCase(Locale.ROOT);
        }
        if (value instanceof Number || value instanceof Boolean) {
            return value;
        }
        if (value instanceof Path p) {
            return p.toString();
        }
        return value.toString();
    }
}
