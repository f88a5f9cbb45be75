/**
 * The switch of every overlay network on this host: {@link io.meshd.vxlan.fabric.SwitchFabric} with its forwarding
 * database (static and learned entries, aging on an injected clock), IPv4 neighbor table and ARP responder, flood
 * lists for head-end replication with split horizon, and the {@link io.meshd.vxlan.fabric.LocalPort} and {@link
 * io.meshd.vxlan.fabric.Uplink} interfaces the I/O layer implements. Pure Java, no I/O: lookups are lock-free and
 * allocation-free, control-plane writes publish immutable snapshots, and bad frames are dropped and counted.
 */
package io.meshd.vxlan.fabric;
