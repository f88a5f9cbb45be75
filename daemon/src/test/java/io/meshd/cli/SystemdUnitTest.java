package io.meshd.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The example systemd unit: what it grants, and that systemd itself accepts it. */
class SystemdUnitTest {
    private static final Path UNIT = Path.of("..", "examples", "meshd.service");

    @TempDir
    Path dir;

    @Test
    void shouldGrantOnlyTheCapabilitiesTheAgentUses() throws IOException {
        String unit = Files.readString(UNIT, StandardCharsets.UTF_8);
        assertTrue(unit.contains("\nCapabilityBoundingSet=CAP_NET_ADMIN CAP_SYS_ADMIN CAP_NET_BIND_SERVICE\n"), unit);
        assertTrue(unit.contains("\nNoNewPrivileges=yes\n"), unit);
        assertTrue(unit.contains("\nRestart=on-failure\n"), unit);
        assertTrue(unit.contains("\nSuccessExitStatus=143\n"), "a JVM stopped by SIGTERM exits 143: " + unit);
        assertTrue(unit.contains("\nStateDirectory=meshd\n"), unit);
        assertTrue(unit.contains(" agent --config /etc/meshd/meshd.yaml "), unit);
    }

    /**
     * {@code systemd-analyze verify} where the machine has it (the issue asks for it "where available"): the unit's
     * directives parse and its command exists (the installed launcher's path is pointed at this checkout's).
     */
    @Test
    void shouldPassSystemdAnalyzeVerify() throws Exception {
        Path analyze = Path.of("/usr/bin/systemd-analyze");
        assumeTrue(Files.isExecutable(analyze), "systemd-analyze is not installed here");
        Path launcher = Path.of("..", "meshd").toAbsolutePath().normalize();
        Path unit = dir.resolve("meshd.service");
        Files.writeString(unit, Files.readString(UNIT, StandardCharsets.UTF_8)
            .replace("ExecStart=/opt/meshd/meshd ", "ExecStart=" + launcher + " "), StandardCharsets.UTF_8);
        Process p = new ProcessBuilder(List.of(analyze.toString(), "verify", unit.toString()))
            .redirectErrorStream(true).start();
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "systemd-analyze finished");
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.exitValue(), out);
        assertTrue(out.lines().noneMatch(l -> l.contains("meshd.service")), "no complaint about the unit:\n" + out);
    }
}
