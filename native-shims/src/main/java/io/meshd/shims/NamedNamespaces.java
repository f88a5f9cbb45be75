package io.meshd.shims;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Named network namespaces, the kind {@code ip netns} manages (bound at {@code /run/netns/NAME}): created with
 * {@code lo} up and opened as a {@link NetNs}, deleted by name. The one place meshd makes them; the test harness's
 * lab, the shim tests and the CLI demo use it. Needs what {@link HostRequirements#missing} checks.
 */
public final class NamedNamespaces {

    private static final Path DIRECTORY = Path.of("/run/netns");
    private static final long TIMEOUT_SECONDS = 30;

    private NamedNamespaces() {
    }

    /**
     * Creates a namespace ({@code ip netns add NAME}), brings its {@code lo} up and opens it. When any step fails
     * the namespace is deleted again.
     *
     * @param name the namespace name: no '/', not empty
     * @return an open handle; closing it leaves the namespace in place ({@link #delete} removes it)
     * @throws UncheckedIOException when {@code ip} fails or cannot run
     */
    public static NetNs create(String name) {
        checkName(name);
        ip("netns", "add", name);
        NetNs netns = null;
        try {
            netns = NetNs.named(name);
            netns.run(() -> InterfaceConfig.up("lo"));
            return netns;
        } catch (RuntimeException e) {
            if (netns != null) {
                netns.close();
            }
            try {
                delete(name);
            } catch (RuntimeException suppressed) {
                e.addSuppressed(suppressed);
            }
            throw e;
        }
    }

    /**
     * Deletes a namespace ({@code ip netns del NAME}); a namespace that does not exist, or that another process
     * deletes meanwhile, counts as deleted. Processes still inside keep it alive until they exit.
     *
     * @param name the namespace name
     * @throws UncheckedIOException when it exists and cannot be deleted
     */
    public static void delete(String name) {
        checkName(name);
        if (!exists(name)) {
            return;
        }
        try {
            ip("netns", "del", name);
        } catch (UncheckedIOException e) {
            if (exists(name)) {
                throw e;
            }
        }
    }

    /**
     * Whether a namespace of that name is bound.
     *
     * @param name the namespace name
     * @return true when {@code /run/netns/NAME} exists
     */
    public static boolean exists(String name) {
        checkName(name);
        return Files.exists(DIRECTORY.resolve(name));
    }

    private static void checkName(String name) {
        if (name.isEmpty() || name.contains("/")) {
            throw new IllegalArgumentException("bad namespace name: " + name);
        }
    }

    /**
     * Runs {@code ip args...} (iproute2), returning its output.
     *
     * @throws UncheckedIOException with ip's output when it fails or times out
     */
    public static String ip(String... args) {
        List<String> argv = new ArrayList<>();
        argv.add(HostRequirements.onPath("ip").map(Path::toString).orElse("ip"));
        argv.addAll(List.of(args));
        String command = String.join(" ", argv);
        try {
            Process process = new ProcessBuilder(argv).redirectErrorStream(true)
                .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile())).start();
            // ip writes a line or two: reading to the end cannot fill a pipe, and ends when ip does.
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new UncheckedIOException(new IOException(command + " timed out"));
            }
            if (process.exitValue() != 0) {
                throw new UncheckedIOException(new IOException(command + " exited " + process.exitValue() + ": "
                    + output.trim()));
            }
            return output;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run " + command, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted running " + command, e);
        }
    }
}
