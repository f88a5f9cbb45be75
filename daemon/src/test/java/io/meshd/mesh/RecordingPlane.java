package io.meshd.mesh;

import io.meshd.dns.records.MeshNetwork;
import io.meshd.lb.ServiceBackend;
import io.meshd.lb.ServiceKey;
import io.meshd.lb.ServiceTable;
import io.meshd.packet.Ipv4;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** A {@link DataPlane} that records every call as a line of text (and keeps the services as a node's table). */
final class RecordingPlane implements DataPlane {
    /** The services as the node's VIP NAT would balance them. */
    final ServiceTable services = Components.serviceTable();
    final List<String> calls = new ArrayList<>();
    /** The routing mesh's calls, apart so the other calls read as before. */
    final List<String> publishedCalls = new ArrayList<>();
    List<MeshNetwork> records = List.of();

    List<String> take() {
        List<String> out = List.copyOf(calls);
        calls.clear();
        return out;
    }

    private static String ip(int v) {
        return Ipv4.format(v);
    }

    @Override
    public void addNetwork(int vni) {
        calls.add("addNetwork " + vni);
    }

    @Override
    public void removeNetwork(int vni) {
        calls.add("removeNetwork " + vni);
    }

    @Override
    public void addRemote(int vni, int vtep, int port) {
        calls.add("addRemote " + vni + " " + ip(vtep) + ":" + port);
    }

    @Override
    public void removeRemote(int vni, int vtep, int port) {
        calls.add("removeRemote " + vni + " " + ip(vtep) + ":" + port);
    }

    @Override
    public void addNeighbor(int vni, int ip, long mac, int vtep, int port) {
        calls.add("addNeighbor " + vni + " " + ip(ip) + " " + Long.toHexString(mac) + " " + ip(vtep) + ":" + port);
    }

    @Override
    public void removeNeighbor(int vni, int ip, long mac) {
        calls.add("removeNeighbor " + vni + " " + ip(ip));
    }

    @Override
    public void announceVip(int vni, int vip) {
        calls.add("announceVip " + vni + " " + ip(vip));
    }

    @Override
    public void withdrawVip(int vni, int vip) {
        calls.add("withdrawVip " + vni + " " + ip(vip));
    }

    @Override
    public void putService(ServiceKey key, List<ServiceBackend> backends) {
        StringBuilder sb = new StringBuilder("putService " + key + " ->");
        for (ServiceBackend b : backends) {
            sb.append(' ').append(ip(b.ip())).append(':').append(b.port())
                .append(b.weight() == 1 ? "" : "=" + b.weight()).append(b.healthy() ? "" : "(down)");
        }
        calls.add(sb.toString());
        services.put(key, backends);
    }

    @Override
    public void removeService(ServiceKey key) {
        calls.add("removeService " + key);
        services.remove(key);
    }

    @Override
    public void published(Map<ServiceKey, Published> ports) {
        StringBuilder sb = new StringBuilder("published");
        for (Map.Entry<ServiceKey, Published> e : ports.entrySet()) {
            sb.append(' ').append(e.getKey().port()).append('/').append(e.getKey().protocol()).append('=')
                .append(e.getValue().service()).append(e.getValue().networks()).append(" ->");
            for (ServiceBackend b : e.getValue().backends()) {
                sb.append(' ').append(ip(b.ip())).append(':').append(b.port());
            }
            sb.append(';');
        }
        publishedCalls.add(sb.toString());
    }

    @Override
    public void records(List<MeshNetwork> networks) {
        records = networks;
        calls.add("records");
    }
}
