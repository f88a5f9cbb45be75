package io.meshd.shims;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * A throw-away network namespace for the shim tests (the test harness depends on this module, so it cannot be
 * used here). Skips outside CI when the shims are unavailable and fails inside it.
 */
final class TestNamespace implements AutoCloseable {

    private final String name;
    private final NetNs netns;

    private TestNamespace(String name) {
        this.name = name;
        this.netns = NamedNamespaces.create(name);
    }

    /** A new namespace named {@code ms} plus random base-36 characters. */
    static TestNamespace create() {
        requireShims();
        return new TestNamespace("ms" + Long.toString(ThreadLocalRandom.current().nextLong(1L << 40), 36));
    }

    static void requireShims() {
        NativeShims.unavailabilityCause().ifPresent(cause -> {
            if ("true".equalsIgnoreCase(System.getenv("CI"))) {
                throw new AssertionError("CI=true but the native shims are unavailable", cause);
            }
            Assumptions.abort("native shims unavailable: " + cause);
        });
    }

    String name() {
        return name;
    }

    NetNs netns() {
        return netns;
    }

    /** Runs {@code ip -n NAME args...} and returns its standard output. */
    String ip(String... args) {
        List<String> argv = new ArrayList<>(List.of("ip", "-n", name));
        argv.addAll(List.of(args));
        return run(argv.toArray(new String[0]));
    }

    static String run(String... argv) {
        try {
            Process process = new ProcessBuilder(argv).redirectErrorStream(true).start();
            if (!process.waitFor(20, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new AssertionError("timed out: " + String.join(" ", argv));
            }
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (process.exitValue() != 0) {
                throw new AssertionError(String.join(" ", argv) + " exited " + process.exitValue() + ": " + output);
            }
            return output;
        } catch (IOException e) {
            throw new AssertionError("cannot run " + String.join(" ", argv), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    @Override
    public void close() {
        netns.close();
        NamedNamespaces.delete(name);
    }
}
