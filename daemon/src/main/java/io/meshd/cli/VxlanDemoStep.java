package io.meshd.cli;

import io.meshd.shims.NetNs;
import io.meshd.net.IoTransport;
import io.meshd.packet.Ipv4;
import io.meshd.vxlan.tap.Attachment;
import io.meshd.vxlan.vtep.UdpVtep;
import io.meshd.vxlan.vtep.VtepNode;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * Demo step for the VXLAN data plane: two hosts and two containers as network namespaces, a meshd VTEP per host in
 * this JVM, a ping from one container to the other across the overlay, then the counters. Skipped (and said why)
 * without root, {@code /dev/net/tun} or {@code ip}. Removes every namespace it made.
 */
final class VxlanDemoStep implements DemoStep {

    private static final int VNI = 4242;

    @Override
    public String title() {
        return "VXLAN overlay: two hosts, one container each, ping across meshd VTEPs";
    }

    @Override
    public boolean run(PrintWriter out) throws Exception {
        String missing = missingPrerequisite();
        if (!missing.isEmpty()) {
            out.println("  skipped: " + missing + " (run as root on Linux with iproute2 to see it)");
            return true;
        }
        String suffix = Integer.toString(ThreadLocalRandom.current().nextInt(1 << 20), 36);
        List<String> namespaces = new ArrayList<>();
        List<AutoCloseable> open = new ArrayList<>();
        try {
            String[] hosts = {"mdh1" + suffix, "mdh2" + suffix};
            String[] containers = {"mdc1" + suffix, "mdc2" + suffix};
            for (String ns : new String[] {hosts[0], hosts[1], containers[0], containers[1]}) {
                ip("netns", "add", ns);
                namespaces.add(ns);
                ip("-n", ns, "link", "set", "lo", "up");
            }
            ip("link", "add", "eth0", "netns", hosts[0], "type", "veth", "peer", "name", "eth0", "netns", hosts[1]);
            String[] underlay = {"10.97.0.1", "10.97.0.2"};
            String[] overlay = {"192.168.97.1", "192.168.97.2"};
            for (int i = 0; i < 2; i++) {
                ip("-n", hosts[i], "addr", "add", underlay[i] + "/24", "dev", "eth0");
                ip("-n", hosts[i], "link", "set", "eth0", "up");
            }
            out.printf("  underlay: namespaces %s (%s) and %s (%s) on a veth link%n", hosts[0], underlay[0], hosts[1],
                underlay[1]);
            VtepNode[] nodes = new VtepNode[2];
            for (int i = 0; i < 2; i++) {
                NetNs handle = NetNs.named(hosts[i]);
                open.add(handle);
                nodes[i] = VtepNode.builder().vtep(UdpVtep.builder()
                    .local((Inet4Address) InetAddress.getByName(underlay[i])).namespace(handle)
                    .transport(IoTransport.AUTO)).start();
                open.add(0, nodes[i]);
                nodes[i].addNetwork(VNI);
                nodes[i].addRemote(VNI, ipv4(underlay[1 - i]));
                nodes[i].attach(VNI, Attachment.parse(containers[i] + ":eth0:" + overlay[i] + "/24",
                    Attachment.DEFAULT_MTU));
                out.printf("  meshd VTEP on %s:%d (%s), container %s has eth0 %s/24 on VNI %d%n", underlay[i],
                    nodes[i].vtep().port(), nodes[i].vtep().transport(), containers[i], overlay[i], VNI);
            }
            out.printf("  ping from %s to %s across the overlay:%n", overlay[0], overlay[1]);
            out.flush();
            String ping = exec(20, "ip", "netns", "exec", containers[0], "ping", "-c", "3", "-i", "0.2", "-W", "2",
                overlay[1]);
            boolean ok = ping.contains(" 0% packet loss");
            for (String line : ping.split("\n")) {
                if (line.contains("bytes from") || line.contains("packet loss") || line.contains("rtt")) {
                    out.println("    " + line.trim());
                }
            }
            out.println("  counters of the VTEP on " + underlay[0] + ":");
            for (String line : nodes[0].formatCounters().split(System.lineSeparator())) {
                out.println("    " + line);
            }
            return ok;
        } finally {
            for (AutoCloseable c : open) {
                c.close();
            }
            for (String ns : namespaces) {
                exec(10, "ip", "netns", "del", ns);
            }
            out.println("  removed the demo namespaces, interfaces and sockets");
        }
    }

    private static String missingPrerequisite() throws IOException {
        if (!System.getProperty("os.name", "").toLowerCase(java.util.Locale.ROOT).contains("linux")) {
            return "not Linux";
        }
        boolean root = Files.readAllLines(Path.of("/proc/self/status")).stream()
            .anyMatch(l -> l.startsWith("Uid:") && "0".equals(l.split("\\s+")[2]));
        if (!root) {
            return "not running as root";
        }
        if (!Files.exists(Path.of("/dev/net/tun"))) {
            return "no /dev/net/tun";
        }
        for (String dir : new String[] {"/usr/sbin", "/sbin", "/usr/bin", "/bin"}) {
            if (Files.isExecutable(Path.of(dir, "ip"))) {
                return "";
            }
        }
        return "the 'ip' command (iproute2) is missing";
    }

    private static int ipv4(String dotted) {
        return Ipv4.parse(dotted);
    }

    private static void ip(String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("ip"));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(10, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IOException(String.join(" ", cmd) + " failed: " + output.trim());
        }
    }

    private static String exec(long seconds, String... cmd) throws Exception {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        p.waitFor(seconds, TimeUnit.SECONDS);
        return output;
    }
}
