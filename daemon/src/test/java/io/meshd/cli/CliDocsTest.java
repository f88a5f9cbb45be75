package io.meshd.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * docs/cli.md against the picocli model, so the two cannot drift: its command table lists exactly the commands
 * {@code meshd} has, and every option of a command (and of its subcommands) is named in cli.md or in a page its row
 * links to. Hidden options (for tests and scripts) are not part of the interface and need not be.
 */
class CliDocsTest {

    private static final Path DOCS = Path.of("..", "docs");
    /** A row of the command table: {@code | `meshd NAME ...` | what | links |}. */
    private static final Pattern ROW = Pattern.compile("^\\| `meshd ([a-z-]+)[^`]*` \\|.*\\|(.*)\\|\\s*$");
    private static final Pattern LINK = Pattern.compile("\\]\\(([a-z-]+\\.md)");
    /** Options every command has from picocli's mixin. */
    private static final List<String> STANDARD = List.of("--help", "--version");

    private static String read(String page) throws IOException {
        return Files.readString(DOCS.resolve(page), StandardCharsets.UTF_8);
    }

    /** Each command of the table with the pages its row links to (cli.md itself included). */
    private static Map<String, List<String>> table() throws IOException {
        Map<String, List<String>> rows = new LinkedHashMap<>();
        for (String line : read("cli.md").split("\n")) {
            Matcher m = ROW.matcher(line);
            if (m.matches()) {
                List<String> pages = new ArrayList<>(List.of("cli.md"));
                Matcher l = LINK.matcher(m.group(2));
                while (l.find()) {
                    pages.add(l.group(1));
                }
                rows.put(m.group(1), pages);
            }
        }
        return rows;
    }

    @Test
    void theCommandTableListsExactlyTheCommandsMeshdHas() throws IOException {
        TreeSet<String> commands = new TreeSet<>(Main.commandLine().getSubcommands().keySet());
        commands.remove("help");
        assertEquals(commands, new TreeSet<>(table().keySet()), "docs/cli.md's command table vs meshd --help");
    }

    @Test
    void everyOptionIsNamedInThePagesItsCommandsRowLinks() throws IOException {
        Map<String, List<String>> table = table();
        List<String> missing = new ArrayList<>();
        for (Map.Entry<String, CommandLine> c : Main.commandLine().getSubcommands().entrySet()) {
            List<String> pages = table.get(c.getKey());
            if (pages == null) {
                continue; // the other test names it
            }
            StringBuilder text = new StringBuilder();
            for (String p : pages) {
                text.append(read(p));
            }
            options(c.getValue().getCommandSpec(), "meshd " + c.getKey(), text.toString(), missing);
        }
        assertTrue(missing.isEmpty(), "options not documented in docs/cli.md or the pages linked from "
            + "their command's row: " + missing);
    }

    private static void options(CommandSpec spec, String path, String text, List<String> missing) {
        for (OptionSpec o : spec.options()) {
            String name = o.longestName();
            boolean named = Pattern.compile(Pattern.quote(name) + "(?![a-z-])").matcher(text).find();
            if (!o.hidden() && !STANDARD.contains(name) && !named) {
                missing.add(path + " " + name);
            }
        }
        for (Map.Entry<String, CommandLine> sub : spec.subcommands().entrySet()) {
            if (!sub.getKey().equals("help")) {
                options(sub.getValue().getCommandSpec(), path + " " + sub.getKey(), text, missing);
            }
        }
    }
}
