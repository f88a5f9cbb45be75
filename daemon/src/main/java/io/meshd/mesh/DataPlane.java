package io.meshd.mesh;

import io.meshd.dns.records.MeshNetwork;
import io.meshd.lb.ServiceBackend;
import io.meshd.lb.ServiceKey;
import java.util.List;
import java.util.Map;

/**
 * What the mesh drives, called on the mesh thread only: the overlay switch (networks, flood lists, remote
 * endpoints), the VIP load balancer, the routing mesh and the DNS records. {@link VtepDataPlane} is the real one;
 * tests record calls. Addresses are IPv4 in an {@code int}, network order.
 */
public interface DataPlane {

    /** Creates network {@code vni} on the switch. */
    void addNetwork(int vni);

    /** Removes network {@code vni} with every entry on it. */
    void removeNetwork(int vni);

    /** Adds a remote VTEP to the flood list of {@code vni}. */
    void addRemote(int vni, int vtep, int port);

    /** Removes a remote VTEP from the flood list of {@code vni}. */
    void removeRemote(int vni, int vtep, int port);

    /** A remote endpoint: the ARP responder answers for it and its MAC is forwarded to its VTEP. */
    void addNeighbor(int vni, int ip, long mac, int vtep, int port);

    /** Forgets a remote endpoint. */
    void removeNeighbor(int vni, int ip, long mac);

    /** Makes the ARP responder answer for a VIP. */
    void announceVip(int vni, int vip);

    /** Stops answering for a VIP. */
    void withdrawVip(int vni, int vip);

    /** Sets a balanced service's backends. */
    void putService(ServiceKey key, List<ServiceBackend> backends);

    /** Removes a balanced service. */
    void removeService(ServiceKey key);

    /**
     * Sets the routing mesh's published ports, all of them (keys: address 0, the published port, the protocol);
     * called when any changes. Applied off the mesh thread ({@link PublishedPorts}).
     */
    void published(Map<ServiceKey, Published> ports);

    /** Replaces the DNS records with these networks (applied as the difference, off the mesh thread). */
    void records(List<MeshNetwork> networks);
}
