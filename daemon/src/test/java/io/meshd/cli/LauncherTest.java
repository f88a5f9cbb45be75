package io.meshd.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The launcher script {@code ./meshd}: the JVM settings it gives each command, and how {@code MESHD_JAVA_OPTS}
 * replaces them. It runs a stand-in jar ({@link PrintJvm}, through {@code MESHD_JAR}) that prints what the JVM got.
 */
class LauncherTest {
    private static final Path LAUNCHER = Path.of("..", "meshd").toAbsolutePath().normalize();
    private static final Path UNIT = Path.of("..", "examples", "meshd.service");

    @TempDir
    Path dir;
    private Path jar;

    @BeforeEach
    void writeJar() throws IOException {
        jar = dir.resolve("print-jvm.jar");
        Manifest manifest = new Manifest();
        manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        manifest.getMainAttributes().put(Attributes.Name.MAIN_CLASS, PrintJvm.class.getName());
        String entry = PrintJvm.class.getName().replace('.', '/') + ".class";
        try (OutputStream out = Files.newOutputStream(jar); JarOutputStream j = new JarOutputStream(out, manifest);
             InputStream in = PrintJvm.class.getClassLoader().getResourceAsStream(entry)) {
            j.putNextEntry(new JarEntry(entry));
            in.transferTo(j);
            j.closeEntry();
        }
    }

    /** Runs the launcher; the lines the stand-in printed. */
    private List<String> run(String javaOpts, String... args) throws Exception {
        ProcessBuilder pb = new ProcessBuilder();
        pb.command().add(LAUNCHER.toString());
        pb.command().addAll(List.of(args));
        Map<String, String> env = pb.environment();
        env.put("MESHD_JAR", jar.toString());
        env.remove("MESHD_JAVA_OPTS");
        if (javaOpts != null) {
            env.put("MESHD_JAVA_OPTS", javaOpts);
        }
        Process p = pb.redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "the launcher finished");
        assertEquals(0, p.exitValue(), out);
        return out.lines().toList();
    }

    @ParameterizedTest
    @ValueSource(strings = {"agent", "demo"})
    void shouldGiveTheAgentAndTheDemoAHeapThatFollowsTheLiveSet(String command) throws Exception {
        List<String> out = run(null, command, "--name", "n1");
        assertTrue(out.containsAll(List.of("arg -Xms16m", "arg -Xmx256m", "arg -Xmn8m", "arg -XX:+UseSerialGC",
            "arg -XX:TrimNativeHeapInterval=5000")), out.toString());
        assertTrue(out.contains("gc MarkSweepCompact"), "the serial collector: " + out);
        assertTrue(out.containsAll(List.of("cmd " + command, "cmd --name", "cmd n1")), out.toString());
    }

    @ParameterizedTest
    @ValueSource(strings = {"vtep", "proxy", "dns", "members", "simulate"})
    void shouldGiveEveryOtherCommandTheFixedHeapAndParallelCollectorTheBenchmarksMeasure(String command)
        throws Exception {
        List<String> out = run(null, command);
        assertTrue(out.containsAll(List.of("arg -Xms256m", "arg -Xmx256m", "arg -XX:+UseParallelGC")),
            out.toString());
        assertTrue(out.contains("gc PS MarkSweep"), "the parallel collector: " + out);
        assertFalse(out.stream().anyMatch(a -> a.startsWith("arg -Xmn") || a.contains("TrimNativeHeap")),
            "no agent-only settings: " + out);
    }

    @Test
    void shouldLetMeshdJavaOptsReplaceTheHeapOrTheCollectorAndAddTheRest() throws Exception {
        List<String> agent = run("-Xmx64m -Dx=1", "agent");
        assertFalse(agent.contains("arg -Xms16m") || agent.contains("arg -Xmx256m"), agent.toString());
        assertTrue(agent.containsAll(List.of("arg -Xmx64m", "arg -Dx=1", "arg -XX:+UseSerialGC")), agent.toString());
        List<String> vtep = run("-XX:+UseG1GC", "vtep");
        assertFalse(vtep.contains("arg -XX:+UseParallelGC"), vtep.toString());
        assertTrue(vtep.containsAll(List.of("arg -Xms256m", "arg -Xmx256m", "arg -XX:+UseG1GC")), vtep.toString());
        List<String> g1Agent = run("-XX:+UseG1GC", "agent");
        assertFalse(g1Agent.contains("arg -XX:+UseSerialGC"), g1Agent.toString());
        assertTrue(g1Agent.contains("arg -Xmx256m"), g1Agent.toString());
    }

    /** The example unit runs the agent through the launcher and leaves the JVM settings to it. */
    @Test
    void shouldRunTheSystemdUnitsAgentWithTheLaunchersAgentSettings() throws Exception {
        String unit = Files.readString(UNIT, StandardCharsets.UTF_8);
        assertTrue(unit.contains("\nExecStart=/opt/meshd/meshd agent "), unit);
        assertFalse(unit.contains("MESHD_JAVA_OPTS"), "no JVM flags of its own: " + unit);
        List<String> out = run(null, "agent", "--config", "/etc/meshd/meshd.yaml");
        assertTrue(out.contains("arg -XX:+UseSerialGC") && out.contains("arg -Xmx256m"), out.toString());
    }
}
