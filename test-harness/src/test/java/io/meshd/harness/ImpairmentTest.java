package io.meshd.harness;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

@RequiresLab(commands = {"ping", "nft", "tc", "iperf3"})
class ImpairmentTest {

    private static final Pattern LOSS = Pattern.compile("(\\d+(?:\\.\\d+)?)% packet loss");

    @Test
    void shouldDropTheRequestedShareOfFrames() {
        try (Lab lab = Lab.create()) {
            LabLink link = lab.pair("10.91.1.0/24");
            LabHost a = link.hostA();
            lab.impair(a, link.ifaceA(), 50);
            double loss = pingLoss(a, link.addressB(), 200);
            assertTrue(loss >= 30 && loss <= 70, "50% ingress loss measured as " + loss + "%");
            lab.impair(a, link.ifaceA(), 100);
            assertEquals(100.0, pingLoss(a, link.addressB(), 10));
            lab.impair(a, link.ifaceA(), 0);
            assertEquals(0.0, pingLoss(a, link.addressB(), 20));
        }
    }

    @Test
    void shouldPartitionGroupsOfHostsAndHeal() {
        try (Lab lab = Lab.create()) {
            LabHost a = lab.host("a");
            LabHost b = lab.host("b");
            LabHost c = lab.host("c");
            LabSegment segment = lab.segment("10.91.2.0/24", a, b, c);
            lab.partition(List.of(a), List.of(b, c));
            assertEquals(100.0, pingLoss(a, segment.address(b), 10), "a cut off from b");
            assertEquals(100.0, pingLoss(c, segment.address(a), 10), "c cut off from a");
            assertEquals(0.0, pingLoss(b, segment.address(c), 10), "b and c, on the same side, still talk");
            // heal() removes the rules before it returns (one nft transaction per host), so nothing is lost after.
            lab.heal();
            assertEquals(0.0, pingLoss(a, segment.address(b), 10), "a reaches b again");
            assertEquals(0.0, pingLoss(c, segment.address(a), 10), "c reaches a again");
        }
    }

    @Test
    void shouldShapeTheRateOfALink() {
        try (Lab lab = Lab.create()) {
            LabLink link = lab.pair("10.91.3.0/24");
            LabHost a = link.hostA();
            LabHost b = link.hostB();
            lab.rateLimit(a, link.ifaceA(), 4000);
            LabProcess server = b.startProcess("iperf3", "-s", "-1", "-B", link.addressB());
            double mbit = tcpMbitPerSecond(a, link.addressB());
            assertTrue(mbit > 1.5 && mbit < 6, "a 4 Mbit/s token bucket carried " + mbit + " Mbit/s");
            server.stop();
            lab.rateLimit(a, link.ifaceA(), 0);
            assertFalse(a.execOk("tc", "qdisc", "show", "dev", link.ifaceA()).stdout().contains("tbf"));
        }
    }

    /** Runs a 2-second iperf3 TCP test to {@code server} and returns what the receiver measured. */
    private static double tcpMbitPerSecond(LabHost client, String server) {
        ExecResult result = null;
        for (int attempt = 0; attempt < 50; attempt++) {
            result = client.exec(java.time.Duration.ofSeconds(20), "iperf3", "-c", server, "-t", "2", "-f", "m");
            if (result.ok()) {
                break;
            }
            sleepBriefly();
        }
        Matcher m = Pattern.compile("(\\d+(?:\\.\\d+)?) Mbits/sec.*receiver").matcher(result.stdout());
        assertTrue(m.find(), result.toString());
        return Double.parseDouble(m.group(1));
    }

    private static void sleepBriefly() {
        try {
            Thread.sleep(100);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    private static double pingLoss(LabHost from, String to, int count) {
        // A generous reply timeout: on a loaded machine a late reply must not be counted as a dropped one.
        ExecResult result = from.exec("ping", "-q", "-c", Integer.toString(count), "-i", "0.01", "-W", "3", to);
        Matcher m = LOSS.matcher(result.stdout());
        assertTrue(m.find(), result.toString());
        return Double.parseDouble(m.group(1));
    }
}
