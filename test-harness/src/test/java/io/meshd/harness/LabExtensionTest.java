package io.meshd.harness;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.RegisterExtension;

@RequiresLab(commands = {"ping", "nft", "bridge"})
class LabExtensionTest {

    @RegisterExtension
    final LabExtension labs = new LabExtension();

    @Test
    void shouldProvideALabAndDescribeItsHosts() {
        LabHost a = labs.lab().host("a");
        LabHost b = labs.lab().host("b");
        LabLink link = labs.lab().link(a, "10.98.0.1/24", b, "10.98.0.2/24");
        a.startProcess("ping", "-c", "1", link.addressB());
        String report = labs.lab().describe();
        assertTrue(report.contains("== host a (netns " + a.name() + ")"), report);
        assertTrue(report.contains("10.98.0.2/24"), report);
        assertTrue(report.contains("$ nft list ruleset"), report);
        assertTrue(report.contains("== process"), report);
    }

    @Test
    void shouldCloseTheLabAndReportItWhenTheTestFailed() {
        LabExtension extension = new LabExtension();
        extension.beforeEach(null);
        Lab lab = extension.lab();
        lab.host("a");
        String namespace = lab.namespaces().get(0);
        extension.afterEach(failedContext());
        assertTrue(lab.isClosed());
        assertFalse(Commands.runOk(List.of("ip", "netns", "list")).stdout().contains(namespace));
        assertThrows(IllegalStateException.class, extension::lab);
    }

    /** Just enough of an ExtensionContext for afterEach: a failed test. */
    private static ExtensionContext failedContext() {
        return (ExtensionContext) java.lang.reflect.Proxy.newProxyInstance(LabExtensionTest.class.getClassLoader(),
            new Class<?>[] {ExtensionContext.class}, (proxy, method, args) -> {
                switch (method.getName()) {
                    case "getExecutionException":
                        return Optional.of(new AssertionError("failed on purpose"));
                    case "getDisplayName":
                        return "a failed test";
                    case "publishReportEntry":
                        assertEquals("lab", args[0]);
                        return null;
                    default:
                        throw new UnsupportedOperationException(method.getName());
                }
            });
    }
}
