/**
 * VXLAN encapsulation per RFC 7348: the 8-byte header (I flag, 24-bit VNI, reserved bits zero on send and ignored
 * on receipt), a static codec that returns negated {@link io.meshd.vxlan.codec.DropReason} codes instead of
 * throwing, the IPv4/UDP encapsulator, and lock-free per-reason drop counters that the API, the CLI and the
 * metrics export read.
 */
package io.meshd.vxlan.codec;
