package io.meshd;

import java.net.InetAddress;

/**
 * One of this node's attachments, as {@link Mesh#attachments()} reports it.
 *
 * @param network the network
 * @param namespace the namespace as it was given to {@link Mesh#attach} (a name, or a path as given)
 * @param name the endpoint's name
 * @param ip its address on the network
 * @param interfaceName the TAP's name inside the namespace ({@code eth0}, ...)
 */
public record LocalAttachment(String network, String namespace, String name, InetAddress ip,
                              String interfaceName) {
}
