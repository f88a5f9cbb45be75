package io.meshd.shims;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class HostRequirementsTest {

    @Test
    void shouldNameEveryMissingCommand() {
        String reasons = HostRequirements.missing("meshd-no-such-tool-1", "meshd-no-such-tool-2").orElseThrow();
        assertTrue(reasons.contains("command 'meshd-no-such-tool-1' not found on PATH"), reasons);
        assertTrue(reasons.contains("command 'meshd-no-such-tool-2' not found on PATH"), reasons);
    }

    @Test
    void shouldAgreeWithTheHostOnRootAndTun() {
        boolean root = HostRequirements.isRoot();
        boolean tun = Files.exists(Path.of("/dev/net/tun"));
        assertEquals(tun, HostRequirements.hasTun());
        assertEquals(root && tun, HostRequirements.missingForTap().isEmpty(),
            HostRequirements.missingForTap().orElse("nothing missing"));
        HostRequirements.missingForTap().ifPresent(reasons -> {
            assertEquals(!root, reasons.contains("not running as root"), reasons);
            assertEquals(!tun, reasons.contains("no /dev/net/tun"), reasons);
        });
        // The shims report the same host check, once libc has bound.
        if (NativeShims.isAvailable()) {
            assertTrue(HostRequirements.missingForTap().isEmpty());
        }
    }

    @Test
    void shouldFindACommandOnlyWhereItIsExecutable() {
        assertTrue(HostRequirements.onPath("meshd-no-such-tool").isEmpty());
        Path sh = HostRequirements.onPath("sh").orElseThrow();
        assertTrue(sh.isAbsolute() && Files.isExecutable(sh), sh.toString());
        assertFalse(HostRequirements.onPath("sh").get().toString().isEmpty());
    }
}
