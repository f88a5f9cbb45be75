package io.meshd.cli.mesh;

import io.meshd.cli.Main;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine;

/**
 * Runs {@code meshd} through {@link Main#commandLine()} with the verbs' API replaced, keeping what it printed and
 * the sockets the verbs opened.
 */
final class VerbRun implements AutoCloseable {

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();
    private final CommandLine cli = Main.commandLine();
    private final ApiFactory previous = Verb.factory;
    final List<Path> opened = new ArrayList<>();

    /** Verbs reach this fake. */
    VerbRun(FakeApi api) {
        this(socket -> api);
    }

    /** Verbs open the API with this factory. */
    VerbRun(ApiFactory factory) {
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        Verb.factory = socket -> {
            opened.add(socket);
            return factory.open(socket);
        };
    }

    /** A run through the verbs' own client (HTTP over the unix socket), recording the sockets opened. */
    static VerbRun real() {
        return new VerbRun(Verb.factory);
    }

    /** A run where the agent cannot be reached, for this reason. */
    static VerbRun unreachable(String why) {
        return new VerbRun(socket -> {
            throw new IOException(why);
        });
    }

    int run(String... args) {
        return cli.execute(args);
    }

    String out() {
        return out.toString();
    }

    String err() {
        return err.toString();
    }

    @Override
    public void close() {
        Verb.factory = previous;
    }
}
