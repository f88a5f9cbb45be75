package io.meshd.harness;

import java.util.Optional;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Gives each test a fresh {@link Lab} and closes it afterwards; when the test failed, prints
 * {@link Lab#describe()} first so the report shows the state of every host at the moment of failure.
 *
 * <pre>{@code
 * @RequiresLab
 * class MyTest {
 *     @RegisterExtension
 *     final LabExtension labs = new LabExtension();
 *
 *     @Test
 *     void shouldWork() {
 *         LabHost a = labs.lab().host("a");
 *     }
 * }
 * }</pre>
 */
public final class LabExtension implements BeforeEachCallback, AfterEachCallback {

    private Lab lab;

    /** The current test's lab. */
    public Lab lab() {
        if (lab == null) {
            throw new IllegalStateException("no lab: LabExtension provides one only while a test runs");
        }
        return lab;
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        lab = Lab.create();
    }

    @Override
    public void afterEach(ExtensionContext context) {
        Lab current = lab;
        lab = null;
        if (current == null) {
            return;
        }
        try {
            Optional<Throwable> failure = context.getExecutionException();
            if (failure.isPresent()) {
                String report = current.describe();
                System.out.println("lab state after failure of " + context.getDisplayName() + ":\n" + report);
                context.publishReportEntry("lab", report);
            }
        } finally {
            current.close();
        }
    }
}
