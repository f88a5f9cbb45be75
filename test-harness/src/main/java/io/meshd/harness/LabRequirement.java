package io.meshd.harness;

import io.meshd.shims.HostRequirements;
import java.nio.file.Path;
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

    /** Why lab tests cannot run here, or empty if they can: {@link HostRequirements#missing}. */
    public static Optional<String> missing(String... commands) {
        return HostRequirements.missing(commands);
    }

    /** Whether the effective user is root: {@link HostRequirements#isRoot()}. */
    public static boolean isRoot() {
        return HostRequirements.isRoot();
    }

    /** The absolute path of a command on PATH or in root's sbin directories: {@link HostRequirements#onPath}. */
    public static Optional<Path> onPath(String command) {
        return HostRequirements.onPath(command);
    }
}
