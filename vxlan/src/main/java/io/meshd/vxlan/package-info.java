/**
 * The overlay data plane: RFC 7348 encapsulation, flyweight header views, a switch per VNI with its forwarding
 * database and ARP responder, and the VTEP that carries frames over UDP.
 */
package io.meshd.vxlan;
