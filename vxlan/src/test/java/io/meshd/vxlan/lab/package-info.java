/**
 * Lab tests of the VXLAN data plane: hosts and containers as network namespaces, the meshd VTEP in this JVM, the
 * Linux kernel's VXLAN device as the independent peer, tshark as the independent judge of the wire.
 */
package io.meshd.vxlan.lab;
