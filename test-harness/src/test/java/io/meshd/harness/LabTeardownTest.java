package io.meshd.harness;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The lab leaves nothing behind: no namespace, no link in the root namespace, no process, whatever happens. */
@RequiresLab(commands = {"sleep", "nft", "bridge"})
class LabTeardownTest {

    @Test
    void shouldLeaveNoNamespaceLinkOrProcessBehind() {
        Set<Long> childrenBefore = children();
        String rootLinksBefore = rootLinkNames();
        Lab lab = Lab.create();
        List<String> namespaces;
        LabProcess sleeper;
        try (lab) {
            namespaces = buildEverything(lab);
            sleeper = lab.hosts().get(0).startProcess("sleep", "600");
            assertTrue(sleeper.isAlive());
            assertTrue(ipNetns().containsAll(namespaces));
        }
        assertGone(lab, namespaces, childrenBefore, rootLinksBefore);
        assertFalse(sleeper.isAlive());
    }

    @Test
    void shouldTearDownWhenTheTestThrows() {
        Set<Long> childrenBefore = children();
        String rootLinksBefore = rootLinkNames();
        Lab[] lab = new Lab[1];
        List<?>[] namespaces = new List<?>[1];
        IllegalStateException thrown = assertThrows(IllegalStateException.class, () -> {
            try (Lab created = Lab.create()) {
                lab[0] = created;
                namespaces[0] = buildEverything(created);
                created.hosts().get(1).startProcess("sleep", "600");
                throw new IllegalStateException("the test failed half way");
            }
        });
        assertEquals("the test failed half way", thrown.getMessage());
        @SuppressWarnings("unchecked")
        List<String> names = (List<String>) namespaces[0];
        assertGone(lab[0], names, childrenBefore, rootLinksBefore);
    }

    @Test
    void shouldReapNamespacesOfADeadJvm() throws Exception {
        String orphan = "mlzzzzzorphan";
        Path record = Path.of("/run/meshd-lab/mlzzzzz");
        Commands.runOk(List.of("ip", "netns", "add", orphan));
        try {
            Files.createDirectories(record.getParent());
            // No process has pid 2^22+1 (above the kernel's pid_max default): the owner is dead.
            Files.writeString(record, "4194305\n" + orphan + "\n");
            try (Lab lab = Lab.create()) {
                assertFalse(ipNetns().contains(orphan), "the orphan was reaped when " + lab.runId() + " started");
                assertFalse(Files.exists(record));
            }
        } finally {
            LabRegistry.deleteNamespace(orphan);
            Files.deleteIfExists(record);
        }
    }

    private static List<String> buildEverything(Lab lab) {
        LabHost a = lab.host("a");
        LabHost b = lab.host("b");
        LabHost c = lab.host("c");
        LabLink link = lab.link(a, "10.96.0.1/24", b, "10.96.0.2/24");
        lab.segment("10.96.1.0/24", a, b, c);
        a.kernelVxlan("vx7", 7, link.addressA(), 4789, false, link.addressB());
        lab.impair(b, link.ifaceB(), 10);
        lab.partition(List.of(a), List.of(c));
        b.capture(link.ifaceB()).start();
        return lab.namespaces();
    }

    private static void assertGone(Lab lab, List<String> namespaces, Set<Long> childrenBefore,
                                   String rootLinksBefore) {
        assertTrue(lab.isClosed());
        List<String> left = ipNetns();
        for (String namespace : namespaces) {
            assertFalse(left.contains(namespace), namespace + " still exists");
        }
        assertFalse(left.stream().anyMatch(n -> n.startsWith(lab.runId())), "no namespace of the run: " + left);
        String rootLinks = rootLinkNames();
        assertFalse(rootLinks.contains(lab.runId()), rootLinks);
        assertEquals(rootLinksBefore, rootLinks, "root namespace links unchanged");
        assertEquals(childrenBefore, children(), "no child process left");
        assertFalse(Files.exists(Path.of("/run/meshd-lab", lab.runId())), "the lab's record is gone");
    }

    private static List<String> ipNetns() {
        return Commands.runOk(List.of("ip", "netns", "list")).stdout().lines()
            .map(line -> line.split(" ")[0]).collect(Collectors.toList());
    }

    private static String rootLinkNames() {
        return Commands.runOk(List.of("ip", "-o", "link", "show")).stdout().lines()
            .map(line -> line.split(":")[1].trim()).sorted().collect(Collectors.joining(","));
    }

    private static Set<Long> children() {
        return ProcessHandle.current().descendants().filter(ProcessHandle::isAlive).map(ProcessHandle::pid)
            .collect(Collectors.toSet());
    }
}
