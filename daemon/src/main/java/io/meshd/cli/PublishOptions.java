package io.meshd.cli;

import io.meshd.daemon.RoutingMesh;
import io.meshd.lb.ServiceSpec;
import io.meshd.lb.proxy.L4Proxy;
import io.meshd.net.IoTransport;
import io.meshd.vxlan.tap.Attachment;
import io.meshd.vxlan.vtep.VtepNode;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;

/** {@code meshd vtep}'s routing-mesh options: published ports and the ingress attachment that reaches backends. */
final class PublishOptions {

    @Option(names = "--publish", paramLabel = "[ADDR:]PORT[/PROTO]=BACKEND:PORT[=WEIGHT],...",
        description = "A published port: it answers on this host (every address unless ADDR is given) and forwards "
            + "each client, chosen by Maglev on the client's address and port, to a backend on the overlay through "
            + "the ingress attachment (--ingress). Repeatable.")
    private List<String> published = new ArrayList<>();

    @Option(names = "--ingress", paramLabel = "IP/PREFIX",
        description = "This host's address on the overlay network for published ports: a namespace of its own "
            + "with a TAP on the network (required with --publish).")
    private String ingress;

    @Option(names = "--proxy-protocol",
        description = "Start each TCP connection to a backend of a published port with a PROXY protocol v2 header "
            + "carrying the client's address.")
    private boolean proxyProtocol;

    /** The published ports and the ingress attachment, checked; empty when nothing is published. */
    record Plan(List<ServiceSpec> ports, Attachment ingress) {
    }

    /**
     * Parses and checks the options.
     *
     * @param mtu the attachments' MTU
     * @return the plan
     * @throws IllegalArgumentException naming the bad value
     */
    Plan plan(int vni, int mtu) {
        List<ServiceSpec> ports = new ArrayList<>();
        for (String text : published) {
            ServiceSpec port = RoutingMesh.parsePublished(text);
            if (ports.stream().anyMatch(p -> p.key().equals(port.key()))) {
                throw new IllegalArgumentException("--publish " + port.key() + " is given twice");
            }
            ports.add(port);
        }
        if (ports.isEmpty()) {
            if (ingress != null) {
                throw new IllegalArgumentException("--ingress needs a --publish");
            }
            return new Plan(ports, null);
        }
        if (ingress == null) {
            throw new IllegalArgumentException("--publish needs --ingress IP/PREFIX, this host's overlay address");
        }
        String namespace = "meshd-ingress-" + vni + "-" + ProcessHandle.current().pid();
        return new Plan(ports, Attachment.parse(namespace + ":eth0:" + ingress, mtu));
    }

    /**
     * Starts the routing mesh of a plan, or nothing when it publishes nothing.
     *
     * @return the mesh, or null
     */
    RoutingMesh start(Plan plan, VtepNode node, int vni, IoTransport transport) throws InterruptedException {
        return plan.ports().isEmpty() ? null
            : RoutingMesh.start(node, vni, plan.ingress(), plan.ports(), proxyProtocol, transport);
    }

    /** The proxies' counters as text lines, one per published port. */
    static String formatCounters(RoutingMesh mesh, List<ServiceSpec> ports) {
        StringBuilder sb = new StringBuilder();
        List<L4Proxy> proxies = mesh.proxies();
        for (int i = 0; i < proxies.size(); i++) {
            sb.append("published ").append(ports.get(i).key()).append(':')
                .append(VtepCommand.formatValues(proxies.get(i).counters().snapshot())).append(System.lineSeparator());
        }
        return sb.toString();
    }
}
