package io.meshd.shims;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.UncheckedIOException;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.Test;

class NamedNamespacesTest {

    private static String uniqueName() {
        return "mn" + Long.toString(ThreadLocalRandom.current().nextLong(1L << 40), 36);
    }

    @Test
    void shouldCreateANamespaceWithLoopbackUpAndDeleteIt() {
        TestNamespace.requireShims();
        String name = uniqueName();
        try (NetNs netns = NamedNamespaces.create(name)) {
            assertTrue(NamedNamespaces.exists(name));
            String lo = TestNamespace.run("ip", "-n", name, "-o", "link", "show", "lo");
            assertTrue(lo.contains("UP"), lo);
            assertTrue(netns.call(() -> InterfaceConfig.exists("lo")));
        } finally {
            NamedNamespaces.delete(name);
        }
        assertFalse(NamedNamespaces.exists(name), "deleted");
    }

    @Test
    void shouldTreatDeletingAMissingNamespaceAsDone() {
        TestNamespace.requireShims();
        String name = uniqueName();
        NamedNamespaces.delete(name);
        assertFalse(NamedNamespaces.exists(name));
    }

    @Test
    void shouldRefuseANameTwice() {
        TestNamespace.requireShims();
        String name = uniqueName();
        NetNs first = NamedNamespaces.create(name);
        try {
            assertThrows(UncheckedIOException.class, () -> NamedNamespaces.create(name));
            assertTrue(NamedNamespaces.exists(name), "the failed second create leaves the first in place");
        } finally {
            first.close();
            NamedNamespaces.delete(name);
        }
    }

    @Test
    void shouldRejectNamesThatAreNotOneComponent() {
        assertThrows(IllegalArgumentException.class, () -> NamedNamespaces.create(""));
        assertThrows(IllegalArgumentException.class, () -> NamedNamespaces.delete("a/b"));
    }
}
