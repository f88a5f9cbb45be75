package io.meshd;

import java.net.InetAddress;

/**
 * One backend of a service as {@link Mesh#backends(String)} reports it: a task of the service on one of its
 * networks.
 *
 * @param endpoint the endpoint's name
 * @param network the network it is on
 * @param ip its address there
 * @param node the node it lives on
 * @param weight its weight, 0 (drained: no new flows, pinned ones keep going) and up; 1 unless set
 * @param healthy whether its owner is alive (a dead node's tasks stay, unhealthy, until it returns or they go)
 */
public record Backend(String endpoint, String network, InetAddress ip, String node, int weight, boolean healthy) {
}
