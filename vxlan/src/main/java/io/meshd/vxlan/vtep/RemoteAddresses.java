package io.meshd.vxlan.vtep;

import io.meshd.vxlan.fabric.RemoteVtep;
import io.meshd.packet.Ipv4;
import java.net.InetSocketAddress;
import java.util.concurrent.ConcurrentHashMap;

/** Socket addresses of remote VTEPs, made once per VTEP so the send path does not allocate them. */
final class RemoteAddresses {

    private final ConcurrentHashMap<RemoteVtep, Resolved> cache = new ConcurrentHashMap<>();
    /**
     * The last answer: consecutive sends mostly go to the same VTEP (the segments of one TSO super-frame), and an
     * identity compare is cheaper than hashing into the map. Never stale, since an address never changes.
     */
    private volatile Resolved last = new Resolved(RemoteVtep.of(0, 0));

    InetSocketAddress of(RemoteVtep vtep) {
        Resolved hit = last;
        if (hit.vtep == vtep) {
            return hit.address;
        }
        Resolved cached = cache.get(vtep);
        Resolved resolved = cached != null ? cached : cache.computeIfAbsent(vtep, Resolved::new);
        last = resolved;
        return resolved.address;
    }

    /** A VTEP and its socket address. */
    private static final class Resolved {
        final RemoteVtep vtep;
        final InetSocketAddress address;

        Resolved(RemoteVtep vtep) {
            this.vtep = vtep;
            // A dotted literal: parsed, never looked up.
            this.address = new InetSocketAddress(Ipv4.format(vtep.address()), vtep.port());
        }
    }
}
