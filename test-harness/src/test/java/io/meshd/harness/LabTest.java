package io.meshd.harness;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.nio.channels.DatagramChannel;
import java.util.List;
import org.junit.jupiter.api.Test;

@RequiresLab(commands = {"ping"})
class LabTest {

    @Test
    void shouldLinkTwoHostsWithUniqueShortNamesOutsideTheRootNamespace() {
        try (Lab lab = Lab.create()) {
            LabHost a = lab.host("a");
            LabHost b = lab.host("b");
            LabLink link = lab.link(a, "10.90.1.1/24", b, "10.90.1.2/24");
            assertTrue(a.name().startsWith(lab.runId()) && lab.runId().length() == 7, a.name());
            for (String name : List.of(a.name(), b.name(), link.ifaceA(), link.ifaceB())) {
                assertTrue(name.length() <= 15 && name.startsWith(lab.runId()), name);
            }
            a.execOk("ping", "-c", "1", "-W", "2", link.addressB());
            assertEquals("10.90.1.1", a.address(link.ifaceA()));
            assertEquals(List.of("10.90.1.2"), b.addresses());
            String rootLinks = Commands.runOk(List.of("ip", "-o", "link", "show")).stdout();
            assertFalse(rootLinks.contains(lab.runId()), "nothing of the lab in the root namespace: " + rootLinks);
            assertTrue(a.execOk("ip", "-o", "link", "show", "lo").stdout().contains("UP"), "lo is up");
        }
    }

    @Test
    void shouldPutSeveralHostsOnOneBridgedSegment() {
        try (Lab lab = Lab.create()) {
            LabHost a = lab.host("a");
            LabHost b = lab.host("b");
            LabHost c = lab.host("c");
            LabSegment segment = lab.segment("10.90.2.0/24", a, b, c);
            assertEquals("10.90.2.3", segment.address(c));
            assertEquals("10.90.2.3", c.address(segment.iface()));
            a.execOk("ping", "-c", "1", "-W", "2", segment.address(c));
            c.execOk("ping", "-c", "1", "-W", "2", segment.address(b));
        }
    }

    @Test
    void shouldCreateSocketsInsideAHost() throws Exception {
        try (Lab lab = Lab.create()) {
            LabLink link = lab.pair("10.90.3.0/24");
            LabHost a = link.hostA();
            try (DatagramChannel socket = a.netns().call(() -> DatagramChannel.open()
                    .bind(new InetSocketAddress(a.inetAddress(link.ifaceA()), 0)))) {
                assertEquals(a.inetAddress(link.ifaceA()), ((InetSocketAddress) socket.getLocalAddress()).getAddress());
            }
        }
    }

    @Test
    void shouldReportFailedCommandsWithTheirOutput() {
        try (Lab lab = Lab.create()) {
            LabHost a = lab.host("a");
            ExecResult result = a.exec("ip", "link", "show", "nosuch0");
            assertFalse(result.ok());
            assertTrue(result.stderr().contains("nosuch0"), result.stderr());
            AssertionError error = assertThrows(AssertionError.class, () -> a.execOk("ip", "link", "show", "nosuch0"));
            assertTrue(error.getMessage().contains("does not exist"), error.getMessage());
            assertThrows(IllegalArgumentException.class, () -> lab.host("Bad_Name"));
            assertThrows(IllegalArgumentException.class, () -> lab.host("a"));
        }
    }
}
