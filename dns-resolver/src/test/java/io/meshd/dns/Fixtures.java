package io.meshd.dns;

import io.meshd.dns.records.InMemoryRecordSource;
import io.meshd.dns.records.MeshEndpoint;
import io.meshd.dns.records.MeshNetwork;
import io.meshd.dns.records.MeshService;
import io.meshd.dns.records.PublishedPort;
import io.meshd.dns.records.ServiceMode;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;

/**
 * The records most tests serve. Network {@code front}: tasks web.1 (10.0.1.3, fd00::3) and web.2 (10.0.1.4) of
 * service web (vip 10.0.1.2, port http 80/tcp), db.1 alias database (10.0.1.9, TTL 30), and service rr in mode
 * dnsrr with 100 tasks rr.1..rr.100 at 10.0.2.1..100. Network {@code back}: endpoint secret (10.0.9.9).
 */
public final class Fixtures {

    private Fixtures() {
    }

    /** The address. */
    public static InetAddress ip(String text) {
        try {
            return InetAddress.getByName(text);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(e);
        }
    }

    /** Both networks. */
    public static List<MeshNetwork> networks() {
        List<MeshEndpoint> front = new ArrayList<>();
        front.add(new MeshEndpoint("web.1", List.of(), List.of(ip("10.0.1.3"), ip("fd00::3")), List.of("web"),
            MeshNetwork.DEFAULT_TTL));
        front.add(new MeshEndpoint("web.2", List.of(), List.of(ip("10.0.1.4")), List.of("web"),
            MeshNetwork.DEFAULT_TTL));
        front.add(new MeshEndpoint("db.1", List.of("database"), List.of(ip("10.0.1.9")), List.of(), 30));
        for (int i = 1; i <= 100; i++) {
            front.add(new MeshEndpoint("rr." + i, List.of(), List.of(ip("10.0.2." + i)), List.of("rr"),
                MeshNetwork.DEFAULT_TTL));
        }
        List<MeshService> services = List.of(
            new MeshService("web", ServiceMode.VIP, List.of(ip("10.0.1.2")),
                List.of(new PublishedPort("http", 80, "tcp")), MeshNetwork.DEFAULT_TTL),
            new MeshService("rr", ServiceMode.DNSRR, List.of(), List.of(), MeshNetwork.DEFAULT_TTL));
        MeshNetwork back = new MeshNetwork("back",
            List.of(new MeshEndpoint("secret", List.of(), List.of(ip("10.0.9.9")), List.of(),
                MeshNetwork.DEFAULT_TTL)), List.of());
        return List.of(new MeshNetwork("front", front, services), back);
    }

    /** A source over both networks, TTL 600, domain mesh. */
    public static InMemoryRecordSource source() {
        return InMemoryRecordSource.builder().domain("mesh").networks(networks()).build();
    }
}
