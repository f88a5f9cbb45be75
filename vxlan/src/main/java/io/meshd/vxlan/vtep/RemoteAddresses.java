package io.meshd.vxlan.vtep;

import io.meshd.vxlan.fabric.RemoteVtep;
import io.meshd.vxlan.frame.Ipv4;
import java.net.InetSocketAddress;
import java.util.concurrent.ConcurrentHashMap;

/** Socket addresses of remote VTEPs, made once per VTEP so the send path does not allocate them. */
final class RemoteAddresses {

    private final ConcurrentHashMap<RemoteVtep, InetSocketAddress> cache = new ConcurrentHashMap<>();

    InetSocketAddress of(RemoteVtep vtep) {
        InetSocketAddress cached = cache.get(vtep);
        return cached != null ? cached : cache.computeIfAbsent(vtep, RemoteAddresses::resolve);
    }

    private static InetSocketAddress resolve(RemoteVtep vtep) {
        // A dotted literal: parsed, never looked up.
        return new InetSocketAddress(Ipv4.format(vtep.address()), vtep.port());
    }
}
