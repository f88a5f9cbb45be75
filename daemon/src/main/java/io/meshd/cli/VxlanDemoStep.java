package io.meshd.cli;

import io.meshd.shims.HostRequirements;
import io.meshd.shims.NamedNamespaces;
import io.meshd.shims.NetNs;
import io.meshd.net.IoTransport;
import io.meshd.packet.Ipv4;
import io.meshd.vxlan.tap.Attachment;
import io.meshd.vxlan.vtep.UdpVtep;
import io.meshd.vxlan.vtep.VtepNode;
import java.io.PrintWriter;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
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
        Optional<String> missing = HostRequirements.missing();
        if (missing.isPresent()) {
            out.println("  skipped: " + missing.get() + " (run as root on Linux with iproute2 to see it)");
            return true;
        }
        String suffix = Integer.toString(ThreadLocalRandom.current().nextInt(1 << 20), 36);
        List<String> namespaces = new ArrayList<>();
        List<AutoCloseable> open = new ArrayList<>();
        try {
            String[] hosts = {"mdh1" + suffix, "mdh2" + suffix};
            String[] containers = {"mdc1" + suffix, "mdc2" + suffix};
            NetNs[] hostHandles = new NetNs[2];
            for (int i = 0; i < 2; i++) {
                hostHandles[i] = createNamespace(hosts[i], namespaces, open);
                createNamespace(containers[i], namespaces, open);
            }
            NamedNamespaces.ip("link", "add", "eth0", "netns", hosts[0], "type", "veth", "peer", "name", "eth0",
                "netns", hosts[1]);
            String[] underlay = {"10.97.0.1", "10.97.0.2"};
            String[] overlay = {"192.168.97.1", "192.168.97.2"};
            for (int i = 0; i < 2; i++) {
                NamedNamespaces.ip("-n", hosts[i], "addr", "add", underlay[i] + "/24", "dev", "eth0");
                NamedNamespaces.ip("-n", hosts[i], "link", "set", "eth0", "up");
            }
            out.printf("  underlay: namespaces %s (%s) and %s (%s) on a veth link%n", hosts[0], underlay[0], hosts[1],
                underlay[1]);
            VtepNode[] nodes = new VtepNode[2];
            for (int i = 0; i < 2; i++) {
                nodes[i] = VtepNode.builder().vtep(UdpVtep.builder()
                    .local((Inet4Address) InetAddress.getByName(underlay[i])).namespace(hostHandles[i])
                    .transport(IoTransport.AUTO)).start();
                open.add(0, nodes[i]);
                nodes[i].addNetwork(VNI);
                nodes[i].addRemote(VNI, ipv4(underlay[1 - i]));
                nodes[i].attach(VNI, Attachment.parse(containers[i] + ":eth0:" + overlay[i] + "/24",
                    Attachment.DEFAULT_MTU));
                out.printf("  meshd VTEP on %s:%d (%s), container %s has eth0 %s/24 on VNI %d%n", underlay[i],
                    nodes[i].vtep().port(), nodes[i].vtep().transport(), containers[i], overlay[i], VNI);
            }
            boolean ok = pingAcross(out, containers[0], overlay);
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
                NamedNamespaces.delete(ns);
            }
            out.println("  removed the demo namespaces, interfaces and sockets");
        }
    }

    /** Pings overlay[1] from the container at overlay[0], printing the summary; true without loss. */
    private static boolean pingAcross(PrintWriter out, String from, String[] overlay) throws Exception {
        out.printf("  ping from %s to %s across the overlay:%n", overlay[0], overlay[1]);
        out.flush();
        String ping = exec(20, "ip", "netns", "exec", from, "ping", "-c", "3", "-i", "0.2", "-W", "2", overlay[1]);
        for (String line : ping.split("\n")) {
            if (line.contains("bytes from") || line.contains("packet loss") || line.contains("rtt")) {
                out.println("    " + line.trim());
            }
        }
        return ping.contains(" 0% packet loss");
    }

    /** A namespace with lo up, recorded for deletion and its handle for closing. */
    private static NetNs createNamespace(String name, List<String> namespaces, List<AutoCloseable> open) {
        NetNs handle = NamedNamespaces.create(name);
        namespaces.add(name);
        open.add(handle);
        return handle;
    }

    private static int ipv4(String dotted) {
        return Ipv4.parse(dotted);
    }


    private static String exec(long seconds, String... cmd) throws Exception {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        p.waitFor(seconds, TimeUnit.SECONDS);
        return output;
    }
}
