/**
 * Local ports of the switch backed by TAP devices: {@link io.meshd.vxlan.tap.TapAttacher} creates a TAP inside a
 * container's network namespace, configures it (name, MTU, MAC, IPv4 address, up), connects it to the switch with
 * its forwarding and neighbor entries, and registers its queues on {@link io.meshd.vxlan.tap.TapPollers} (a few
 * epoll threads shared by every TAP) that feed every frame the container sends into the switch; frames the switch
 * delivers are written back to the TAP. Detach removes the interface and its entries.
 */
package io.meshd.vxlan.tap;
