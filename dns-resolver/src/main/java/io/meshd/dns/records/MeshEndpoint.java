package io.meshd.dns.records;

import java.net.InetAddress;
import java.util.List;

/**
 * A container's attachment to a network: its name and aliases, its addresses and the services it is a task of.
 *
 * @param name the endpoint (task or container) name
 * @param aliases more names for the same addresses
 * @param addresses IPv4 and/or IPv6 addresses (at least one)
 * @param services the services this endpoint backs
 * @param ttl the TTL of its records, or {@link MeshNetwork#DEFAULT_TTL} for the source's default; a TTL above the
 *     default is lowered to it
 */
public record MeshEndpoint(String name, List<String> aliases, List<InetAddress> addresses, List<String> services,
                           int ttl) {

    /** Copies the lists and checks the name and the aliases (each becomes a DNS name). */
    public MeshEndpoint {
        MeshNetwork.checkLabel(name, "endpoint name");
        aliases = List.copyOf(aliases);
        for (String alias : aliases) {
            MeshNetwork.checkLabel(alias, "alias");
        }
        addresses = List.copyOf(addresses);
        services = List.copyOf(services);
        if (addresses.isEmpty()) {
            throw new IllegalArgumentException("endpoint '" + name + "' has no address");
        }
    }
}
