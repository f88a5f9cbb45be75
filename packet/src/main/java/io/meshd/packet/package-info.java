/**
 * Flyweight views over Ethernet, 802.1Q, ARP, IPv4, IPv6, UDP and TCP headers in Agrona buffers, the internet
 * checksum with RFC 1624 incremental updates, the flow hash (5-tuple, symmetric and seeded) that picks VXLAN source
 * ports and load-balancer backends, and MAC and IPv4 addresses as primitive values. Views are reusable,
 * allocate nothing, check bounds once when wrapped and report bad input with the stackless {@link
 * io.meshd.packet.FrameException} (or {@code false} from their {@code try}/{@code is} methods), so a packet path
 * built on them neither allocates nor reads outside the frame.
 */
package io.meshd.packet;
