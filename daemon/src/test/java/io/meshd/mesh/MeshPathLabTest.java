package io.meshd.mesh;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.meshd.LocalAttachment;
import io.meshd.Mesh;
import io.meshd.MeshRequestException;
import io.meshd.gossip.GossipConfig;
import io.meshd.harness.Lab;
import io.meshd.harness.LabHost;
import io.meshd.harness.LabProcess;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.OptionalInt;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A namespace attached by {@code /proc/PID/ns/net} (a process's, with no name under /var/run/netns used) works like
 * one attached by name: its interface pings a namespace attached by name, its DNS responder answers, it is listed by
 * its path, the same namespace cannot be attached again under its name, and detach by the path removes it.
 */
@io.meshd.harness.RequiresLab(commands = {"dig", "ping", "sleep"})
class MeshPathLabTest {
    private final GossipConfig gossip = GossipConfig.local().name("lab").build();
    private Lab lab;
    private LabHost host;
    private Mesh mesh;

    @BeforeEach
    void underlay() {
        lab = Lab.create();
        host = lab.host("h1");
        lab.link(host, "10.97.1.1/24", lab.host("h2"), "10.97.1.2/24");
    }

    @AfterEach
    void tearDown() {
        if (mesh != null) {
            mesh.close();
        }
        lab.close();
    }

    @Test
    void shouldAttachANamespaceByItsProcessPathAndDetachItByThePath() throws Exception {
        mesh = LabMeshes.start(host, 0, "10.97.1.1", gossip, null);
        mesh.createNetwork("front", "10.98.1.0/24", OptionalInt.of(4545));
        LabHost c1 = lab.host("c1");
        LabHost c2 = lab.host("c2");
        LabProcess sleeper = c1.startProcess("sleep", "600");
        Path proc = Path.of("/proc/" + sleeper.pid() + "/ns/net");
        String want = "net:[" + c1.netns().inode() + "]";
        await("the process is inside c1", () -> {
            try {
                return Files.readSymbolicLink(proc).toString().equals(want);
            } catch (java.io.IOException e) {
                return false;
            }
        });
        MeshRequestException unnamed = assertThrows(MeshRequestException.class,
            () -> mesh.attach(Mesh.attachment("front", proc.toString()).ip(ip("10.98.1.11"))));
        assertEquals(MeshRequestException.Kind.INVALID, unnamed.kind(), unnamed.getMessage());
        mesh.attach(Mesh.attachment("front", proc.toString()).ip(ip("10.98.1.11")).name("by-path"));
        mesh.attach(Mesh.attachment("front", c2.name()).ip(ip("10.98.1.12")).name("by-name"));
        assertEquals(List.of(
            new LocalAttachment("front", proc.toString(), "by-path", ip("10.98.1.11"), "eth0"),
            new LocalAttachment("front", c2.name(), "by-name", ip("10.98.1.12"), "eth0")), mesh.attachments());
        MeshRequestException twice = assertThrows(MeshRequestException.class,
            () -> mesh.attach(Mesh.attachment("front", c1.name()).ip(ip("10.98.1.13")).name("again")));
        assertEquals(MeshRequestException.Kind.CONFLICT, twice.kind(), twice.getMessage());
        assertTrue(twice.getMessage().contains("attached as '" + proc + "'"), twice.getMessage());

        assertTrue(c2.exec(Duration.ofSeconds(20), "ping", "-c", "2", "-i", "0.2", "-W", "2", "10.98.1.11").ok(),
            "the path-attached namespace answers");
        await("by-name resolves inside the path-attached namespace", () -> c1.exec(Duration.ofSeconds(10), "dig",
            "@127.0.0.11", "+time=1", "+tries=1", "+short", "by-name").stdout().trim().equals("10.98.1.12"));

        assertTrue(mesh.detach("front", proc.toString()));
        assertEquals(1, mesh.attachments().size());
        assertFalse(c1.exec("ip", "link", "show", "eth0").ok(), "the interface is gone");
        assertFalse(mesh.detach("front", proc.toString()));
    }

    private static InetAddress ip(String s) throws Exception {
        return InetAddress.getByName(s);
    }

    private static void await(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not within 30 s: " + what);
            }
            Thread.sleep(50);
        }
    }
}
