/**
 * Stateless virtual-IP load balancing. Today: the Maglev lookup table ({@link io.meshd.lb.MaglevTable}) that every
 * node builds identically from the same backends, and the service table ({@link io.meshd.lb.ServiceTable}) that maps
 * (VIP, port, protocol) to backends with weights and health and rebuilds one service per change. Planned (issue 12):
 * VIP NAT on frames in the VXLAN switch, the routing mesh's published ports and {@code meshd proxy}.
 */
package io.meshd.lb;
