package io.meshd.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.util.ResourceLeakDetector;
import io.netty.util.ResourceLeakDetector.Level;
import org.junit.jupiter.api.Test;

class MainTest {

    private final CliRun cli = new CliRun();

    private int run(String... args) {
        return cli.run(args);
    }

    @Test
    void shouldPrintVersionFromBuild() {
        assertEquals(0, run("--version"));
        assertTrue(cli.out().startsWith("meshd 0."), cli.out());
    }

    @Test
    void shouldListSubcommandsInHelp() {
        assertEquals(0, run("--help"));
        assertTrue(cli.out().contains("demo"), cli.out());
    }

    @Test
    void shouldExitWithTwoOnUnknownOption() {
        assertEquals(2, run("--no-such-option"));
        assertTrue(cli.err().contains("Unknown option"), cli.err());
    }

    @Test
    void shouldRunDemoToCompletion() {
        assertEquals(0, run("demo"));
        assertTrue(cli.out().contains("demo finished"), cli.out());
        // In CI (root, namespaces) every step must really run: a step that skips would hide a broken data plane.
        if (io.meshd.harness.LabRequirement.inCi()) {
            assertTrue(!cli.out().contains("skipped:"), cli.out());
        }
    }

    @Test
    void shouldTurnLeakDetectionOffUnlessTheOperatorAsksForALevel() {
        String asked = System.getProperty(Main.LEAK_DETECTION_PROPERTY);
        Level before = ResourceLeakDetector.getLevel();
        try {
            System.setProperty(Main.LEAK_DETECTION_PROPERTY, "simple");
            ResourceLeakDetector.setLevel(Level.SIMPLE);
            Main.quietLeakDetection();
            assertEquals(Level.SIMPLE, ResourceLeakDetector.getLevel(), "a level asked for stays");

            System.clearProperty(Main.LEAK_DETECTION_PROPERTY);
            Main.quietLeakDetection();
            assertEquals(Level.DISABLED, ResourceLeakDetector.getLevel(), "off by default");
        } finally {
            if (asked == null) {
                System.clearProperty(Main.LEAK_DETECTION_PROPERTY);
            } else {
                System.setProperty(Main.LEAK_DETECTION_PROPERTY, asked);
            }
            ResourceLeakDetector.setLevel(before);
        }
    }

    @Test
    void nettysDirectBuffersAreCountedApartFromTheTapsWithTheJarsFlags() {
        Main.directBuffersApart();
        assertEquals("true", System.getProperty(Main.NO_CLEANER_PROPERTY));
        // This JVM has the flags the jar's manifest gives (surefire's argLine): Netty allocates without a Cleaner, so
        // its buffers never wait in ByteBuffer.allocateDirect for memory the TAP ports hold.
        assertTrue(io.netty.util.internal.PlatformDependent.useDirectBufferNoCleaner());
    }
}
