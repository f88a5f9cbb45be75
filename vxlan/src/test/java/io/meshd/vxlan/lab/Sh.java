package io.meshd.vxlan.lab;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs commands for lab tests: output captured, a timeout, a clear failure naming the command. */
public final class Sh {

    private Sh() {
    }

    /** The result of a finished command. */
    public static final class Result {
        public final int exitCode;
        public final String out;

        Result(int exitCode, String out) {
            this.exitCode = exitCode;
            this.out = out;
        }
    }

    /** Runs the command (stderr merged into stdout), waits up to {@code seconds}. */
    public static Result run(long seconds, List<String> command) {
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            p.getOutputStream().close();
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            Thread pump = new Thread(() -> copy(p.getInputStream(), out));
            pump.start();
            if (!p.waitFor(seconds, TimeUnit.SECONDS)) {
                p.destroyForcibly().waitFor();
                pump.join(1000);
                return new Result(-1, out.toString(StandardCharsets.UTF_8) + "\n(timed out after " + seconds + "s)");
            }
            pump.join(5000);
            return new Result(p.exitValue(), out.toString(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Runs the command and returns its output; fails (AssertionError) on a non-zero exit. */
    public static String check(String... command) {
        Result r = run(60, List.of(command));
        if (r.exitCode != 0) {
            throw new AssertionError(String.join(" ", command) + " exited with " + r.exitCode + ":\n" + r.out);
        }
        return r.out;
    }

    /** Runs the command, ignoring failures (for cleanup). */
    public static void quiet(String... command) {
        run(30, List.of(command));
    }

    private static void copy(InputStream in, ByteArrayOutputStream out) {
        byte[] buf = new byte[8192];
        try {
            for (int n; (n = in.read(buf)) > 0; ) {
                synchronized (out) {
                    out.write(buf, 0, n);
                }
            }
        } catch (IOException ignored) {
            // The process ended.
        }
    }
}
