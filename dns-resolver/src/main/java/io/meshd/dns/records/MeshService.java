package io.meshd.dns.records;

import java.net.InetAddress;
import java.util.List;

/**
 * A service on a network: its name resolves to its virtual IPs (mode {@link ServiceMode#VIP}) or to its tasks'
 * addresses ({@link ServiceMode#DNSRR}); {@code tasks.<name>} always resolves to the tasks' addresses.
 *
 * @param name the service name
 * @param mode how the name resolves
 * @param vips the virtual IPs on this network (needed for mode VIP)
 * @param ports the published ports, for SRV records
 * @param ttl the TTL of its records, or {@link MeshNetwork#DEFAULT_TTL}
 */
public record MeshService(String name, ServiceMode mode, List<InetAddress> vips, List<PublishedPort> ports,
                          int ttl) {

    /** Copies the lists and checks the name and mode. */
    public MeshService {
        MeshNetwork.checkLabel(name, "service name");
        vips = List.copyOf(vips);
        ports = List.copyOf(ports);
        if (mode == ServiceMode.VIP && vips.isEmpty()) {
            throw new IllegalArgumentException("service '" + name + "' is in mode vip but has no vip");
        }
    }
}
