package io.meshd.cli.agent;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Supplier;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.YAMLException;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.ParameterException;

/**
 * A YAML configuration file for a command, driven by the command's picocli model: each key is the long name of one
 * of its options without the dashes ({@code probe-interval: 1s} is {@code --probe-interval 1s}), so a new option is a
 * new key with nothing listed twice. A repeatable option takes a list or one value; a flag takes {@code true} or
 * {@code false}. Options given on the command line win over the file.
 *
 * <p>Every key is checked before the command does anything: an unknown key, a list for a single-valued option, a
 * mapping, or a value the option's own converter refuses, are a {@link ParameterException} (exit code 2) naming the
 * file, the key and the bad value. Values are converted by parsing {@code --key value} with a fresh instance of the
 * command, so the file and the command line share every converter and message.
 *
 * <p>Why not picocli's {@code IDefaultValueProvider}: it is consulted while the command line is parsed, before the
 * {@code --config} path on that same command line is known, and a conversion error from it names the option with
 * no word of the file. Applying the file after parsing, only to options the parse result did not match, gives the
 * same precedence (command line over file over built-in default) with errors that name the file and the key.
 */
public final class ConfigFile {

    /** Options that are about the file or the process, never keys of it. */
    static final Set<String> NOT_KEYS = Set.of("config", "print-config", "help", "version");

    private ConfigFile() {
    }

    /**
     * The options of {@code spec} that are configuration keys, by key.
     *
     * @param spec a command
     * @return key to option, in declaration order
     */
    public static Map<String, OptionSpec> keys(CommandSpec spec) {
        Map<String, OptionSpec> keys = new java.util.LinkedHashMap<>();
        for (OptionSpec o : spec.options()) {
            String key = o.longestName().replaceFirst("^-+", "");
            if (!NOT_KEYS.contains(key) && o.longestName().startsWith("--")) {
                keys.put(key, o);
            }
        }
        return keys;
    }

    /**
     * Reads {@code file} and sets every option it names that the command line did not.
     *
     * @param file the YAML file
     * @param spec the parsed command (its parse result tells which options the command line gave)
     * @param fresh makes an unparsed instance of the command, to convert one key's value with
     * @throws ParameterException naming the key and value at the first problem; no option is set then
     */
    public static void apply(Path file, CommandSpec spec, Supplier<Object> fresh) {
        Map<String, Object> map = read(file, spec);
        Map<String, OptionSpec> keys = keys(spec);
        List<Runnable> sets = new ArrayList<>();
        for (Map.Entry<String, Object> e : map.entrySet()) {
            OptionSpec option = keys.get(e.getKey());
            if (option == null) {
                throw error(spec, file + ": unknown key '" + e.getKey() + "' (keys are the agent's long options: "
                    + String.join(", ", new TreeSet<>(keys.keySet())) + ")");
            }
            if (e.getValue() == null) {
                continue;
            }
            Object value = convert(file, spec, fresh, option, e.getKey(), e.getValue());
            if (!spec.commandLine().getParseResult().hasMatchedOption(option)) {
                sets.add(() -> option.setValue(value));
            }
        }
        sets.forEach(Runnable::run);
    }

    private static Map<String, Object> read(Path file, CommandSpec spec) {
        Object doc;
        try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            doc = new Yaml(new SafeConstructor(new LoaderOptions())).load(in);
        } catch (IOException e) {
            throw error(spec, "cannot read config file " + file + ": " + e);
        } catch (YAMLException e) {
            throw error(spec, file + " is not valid YAML: " + e.getMessage().replace('\n', ' '));
        }
        if (doc == null) {
            return Map.of();
        }
        if (!(doc instanceof Map<?, ?> m)) {
            throw error(spec, file + ": expected a mapping of option names to values, not " + describe(doc));
        }
        Map<String, Object> out = new java.util.LinkedHashMap<>();
        for (Map.Entry<?, ?> e : m.entrySet()) {
            if (!(e.getKey() instanceof String key)) {
                throw error(spec, file + ": key " + e.getKey() + " is not a name");
            }
            out.put(key, e.getValue());
        }
        return out;
    }

    /** The typed value of one key, converted by the option's own converter. */
    private static Object convert(Path file, CommandSpec spec, Supplier<Object> fresh, OptionSpec option, String key,
        Object value) {
        String where = file + ": key '" + key + "'";
        List<String> args = new ArrayList<>();
        if (value instanceof Map) {
            throw error(spec, where + ": expected a value, not a mapping: " + value);
        }
        if (option.arity().max() == 0) {
            if (!(value instanceof Boolean flag)) {
                throw error(spec, where + ": bad value '" + value + "' (expected true or false)");
            }
            if (flag) {
                args.add("--" + key);
            }
        } else if (value instanceof List<?> list) {
            if (!option.isMultiValue()) {
                throw error(spec, where + ": takes one value, not a list: " + value);
            }
            for (Object item : list) {
                if (item == null || item instanceof Map || item instanceof List) {
                    throw error(spec, where + ": bad list item '" + item + "'");
                }
                args.add("--" + key);
                args.add(String.valueOf(item));
            }
        } else {
            args.add("--" + key);
            args.add(String.valueOf(value));
        }
        CommandLine trial = new CommandLine(fresh.get());
        try {
            trial.parseArgs(args.toArray(new String[0]));
        } catch (ParameterException e) {
            throw error(spec, where + ": bad value '" + value + "': " + e.getMessage());
        }
        return trial.getCommandSpec().findOption(key).getValue();
    }

    private static String describe(Object doc) {
        return doc instanceof List ? "a list" : "'" + doc + "'";
    }

    private static ParameterException error(CommandSpec spec, String message) {
        return new ParameterException(spec.commandLine(), message);
    }
}
