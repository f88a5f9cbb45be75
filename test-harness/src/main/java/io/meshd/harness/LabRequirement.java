package io.meshd.harness;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.platform.commons.support.AnnotationSupport;

/**
 * JUnit extension behind {@link RequiresLab}: checks privileges and tools once per test class and per method,
 * skips outside CI and fails inside it.
 */
public final class LabRequirement implements BeforeAllCallback, BeforeEachCallback {

    @Override
    public void beforeAll(ExtensionContext context) {
        context.getTestClass()
            .flatMap(c -> AnnotationSupport.findAnnotation(c, RequiresLab.class))
            .ifPresent(LabRequirement::enforce);
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        context.getTestMethod()
            .flatMap(m -> AnnotationSupport.findAnnotation(m, RequiresLab.class))
            .ifPresent(LabRequirement::enforce);
    }

    private static void enforce(RequiresLab requirement) {
        missing(requirement.commands()).ifPresent(reason -> require(false, reason));
    }

    /**
     * For tests that need something only some machines have (a native transport, a tool): skips with the reason
     * outside CI and fails with {@code CI=true}, so CI can never pass by skipping.
     *
     * @param available whether the test can run here
     * @param reason what is missing, for the skip or failure message
     */
    public static void require(boolean available, String reason) {
        if (available) {
            return;
        }
        if (inCi()) {
            throw new AssertionError("CI=true but this test cannot run: " + reason);
        }
        Assumptions.abort("skipped outside CI: " + reason);
    }

    /** True when the environment says this is a CI run, where privileged tests must run. */
    public static boolean inCi() {
        return "true".equalsIgnoreCase(System.getenv("CI"));
    }

    /** Why lab tests cannot run here, or empty if they can. */
    public static Optional<String> missing(String... commands) {
        List<String> reasons = new ArrayList<>();
        if (!isRoot()) {
            reasons.add("not running as root");
        }
        if (!Files.exists(Path.of("/dev/net/tun"))) {
            reasons.add("no /dev/net/tun");
        }
        List<String> wanted = new ArrayList<>(List.of("ip"));
        wanted.addAll(List.of(commands));
        for (String command : wanted) {
            if (onPath(command).isEmpty()) {
                reasons.add("command '" + command + "' not found on PATH");
            }
        }
        return reasons.isEmpty() ? Optional.empty() : Optional.of(String.join("; ", reasons));
    }

    /** Whether the effective user is root, read from /proc so no native call is needed. */
    public static boolean isRoot() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("Uid:")) {
                    String[] fields = line.split("\\s+");
                    return fields.length > 2 && "0".equals(fields[2]);
                }
            }
        } catch (IOException e) {
            return false;
        }
        return false;
    }

    /** The absolute path of a command on PATH (plus the sbin directories root uses). */
    public static Optional<Path> onPath(String command) {
        String path = System.getenv().getOrDefault("PATH", "") + ":/usr/sbin:/sbin:/usr/local/sbin";
        for (String dir : path.split(":")) {
            if (!dir.isEmpty()) {
                Path candidate = Path.of(dir, command);
                if (Files.isExecutable(candidate)) {
                    return Optional.of(candidate);
                }
            }
        }
        return Optional.empty();
    }
}
