/**
 * VXLAN encapsulation per RFC 7348: the 8-byte header (I flag, 24-bit VNI, reserved bits zero on send and ignored
 * on receipt), a static codec that returns negated {@link io.meshd.vxlan.codec.DropReason} codes instead of
 * throwing, the flow hash that picks the outer UDP source port for ECMP entropy, lock-free per-reason drop
 * counters that the API and CLI read as a map, and the throttled log that the packet paths write unexpected errors
 * to.
 */
package io.meshd.vxlan.codec;
