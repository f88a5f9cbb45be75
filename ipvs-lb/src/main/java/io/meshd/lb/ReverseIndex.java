package io.meshd.lb;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import org.agrona.collections.IntHashSet;
import org.agrona.collections.Long2ObjectHashMap;

/**
 * What the reply path asks of the services, precomputed: which addresses are VIPs, and which services have a
 * backend at a given address, port and protocol. Immutable; rebuilt from every service after each change (cheap
 * next to a Maglev build, and changes are rare).
 */
final class ReverseIndex {
    private static final Service[] NONE = new Service[0];

    private final IntHashSet vips;
    private final Long2ObjectHashMap<Service[]> byBackend;

    private ReverseIndex(IntHashSet vips, Long2ObjectHashMap<Service[]> byBackend) {
        this.vips = vips;
        this.byBackend = byBackend;
    }

    static ReverseIndex of(Collection<Service> services) {
        IntHashSet vips = new IntHashSet();
        Long2ObjectHashMap<List<Service>> lists = new Long2ObjectHashMap<>();
        for (Service service : services) {
            ServiceKey key = service.key();
            vips.add(key.vip());
            for (ServiceBackend b : service.backends()) {
                long backendKey = ServiceKey.pack(b.ip(), b.port(), key.protocol().number());
                lists.computeIfAbsent(backendKey, k -> new ArrayList<>()).add(service);
            }
        }
        Long2ObjectHashMap<Service[]> byBackend = new Long2ObjectHashMap<>();
        lists.forEach((k, v) -> byBackend.put(k, v.toArray(NONE)));
        return new ReverseIndex(vips, byBackend);
    }

    boolean isVip(int address) {
        return vips.contains(address);
    }

    Service[] servicesOf(int ip, int port, int protocolNumber) {
        Service[] found = byBackend.get(ServiceKey.pack(ip, port, protocolNumber));
        return found == null ? NONE : found;
    }
}
