package io.meshd.cli;

import io.meshd.dns.DnsServer;
import io.meshd.dns.records.InMemoryRecordSource;
import io.meshd.dns.records.RecordsFile;
import java.io.PrintWriter;
import java.net.InetSocketAddress;
import java.util.Set;

/** Demo step: the DNS responder answering mesh names, scoped to one network, with NXDOMAIN in its domain. */
final class DnsStep implements DemoStep {

    private static final String RECORDS = String.join("\n",
        "networks:",
        "  - name: front",
        "    endpoints:",
        "      - {name: web.1, addresses: [10.0.1.3], services: [web]}",
        "      - {name: web.2, addresses: [10.0.1.4], services: [web]}",
        "    services:",
        "      - {name: web, mode: vip, vips: [10.0.1.2]}",
        "  - name: back",
        "    endpoints:",
        "      - {name: secret, addresses: [10.0.9.9]}",
        "");

    @Override
    public String title() {
        return "DNS: service discovery by name, scoped to the querier's networks";
    }

    @Override
    public boolean run(PrintWriter out) throws Exception {
        InMemoryRecordSource source = InMemoryRecordSource.builder().domain("mesh")
            .networks(RecordsFile.parse("demo", RECORDS)).build();
        try (DnsServer server = DnsServer.builder().listen(new InetSocketAddress("127.0.0.1", 0))
            .records(source).networks(Set.of("front")).domain("mesh").threads(1).start()) {
            InetSocketAddress at = server.addresses().get(0);
            out.printf("  responder for network 'front' listening on %s (UDP and TCP), cluster domain 'mesh'%n", at);
            boolean ok = show(out, at, "web", "the service's virtual IP", "NOERROR", 1);
            ok &= show(out, at, "tasks.web", "every task of the service", "NOERROR", 2);
            ok &= show(out, at, "web.1.front.mesh", "a task by its fully qualified name", "NOERROR", 1);
            ok &= show(out, at, "secret.mesh", "a name on network 'back', which 'front' cannot see", "NXDOMAIN", 0);
            return ok;
        }
    }

    private static boolean show(PrintWriter out, InetSocketAddress at, String name, String what, String rcode,
                                int addresses) throws Exception {
        DnsProbe.Answer answer = DnsProbe.ask(at, name, 1);
        out.printf("  A %-18s -> %-8s %-24s (%s)%n", name, answer.rcode(), answer.addresses(), what);
        return answer.rcode().equals(rcode) && answer.addresses().size() == addresses;
    }
}
