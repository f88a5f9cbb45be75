package io.meshd.vxlan.vtep;

import io.meshd.vxlan.fabric.RemoteVtep;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.concurrent.ConcurrentHashMap;

/** Socket addresses of remote VTEPs, made once per VTEP so the send path does not allocate them. */
final class RemoteAddresses {

    private final ConcurrentHashMap<RemoteVtep, InetSocketAddress> cache = new ConcurrentHashMap<>();

    InetSocketAddress of(RemoteVtep vtep) {
        InetSocketAddress cached = cache.get(vtep);
        return cached != null ? cached : cache.computeIfAbsent(vtep, RemoteAddresses::resolve);
    }

    private static InetSocketAddress resolve(RemoteVtep vtep) {
        int ip = vtep.address();
        byte[] bytes = {(byte) (ip >>> 24), (byte) (ip >>> 16), (byte) (ip >>> 8), (byte) ip};
        try {
            return new InetSocketAddress(InetAddress.getByAddress(bytes), vtep.port());
        } catch (UnknownHostException e) {
            throw new IllegalStateException("four bytes are always an IPv4 address", e);
        }
    }
}
