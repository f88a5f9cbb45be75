/**
 * Flyweight views over Ethernet, 802.1Q, ARP, IPv4, IPv6, UDP, TCP, ICMP and ICMPv6 headers in Agrona buffers, the
 * internet checksum with RFC 1624 incremental updates, the flow hashes (a seeded, direction-sensitive 5-tuple hash
 * for load-balancer backends, and the frame hash built on it that picks VXLAN source ports and TAP queues), and
 * MAC and IPv4 addresses as primitive values. Views are reusable,
 * allocate nothing, check bounds once when wrapped and report bad input with the stackless {@link
 * io.meshd.packet.FrameException} (or {@code false} from their {@code try}/{@code is} methods), so a packet path
 * built on them neither allocates nor reads outside the frame.
 */
package io.meshd.packet;
