package io.meshd.mesh;

import io.meshd.daemon.VipSwitchHook;
import io.meshd.dns.records.LiveRecordSource;
import io.meshd.dns.records.MeshNetwork;
import io.meshd.lb.ServiceBackend;
import io.meshd.lb.ServiceKey;
import io.meshd.lb.ServiceTable;
import io.meshd.vxlan.fabric.RemoteVtep;
import io.meshd.vxlan.fabric.SwitchFabric;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The real {@link DataPlane}: a node's switch, its service table (read by the VIP hook), its routing mesh and its DNS
 * records.
 */
final class VtepDataPlane implements DataPlane {
    private static final Logger LOG = LoggerFactory.getLogger(VtepDataPlane.class);
    private final SwitchFabric fabric;
    private final ServiceTable services;
    private final LiveRecordSource records;
    private final PublishedPorts published;

    VtepDataPlane(SwitchFabric fabric, ServiceTable services, LiveRecordSource records, PublishedPorts published) {
        this.fabric = fabric;
        this.services = services;
        this.records = records;
        this.published = published;
    }

    @Override
    public void addNetwork(int vni) {
        fabric.addNetwork(vni);
    }

    @Override
    public void removeNetwork(int vni) {
        fabric.removeNetwork(vni);
    }

    @Override
    public void addRemote(int vni, int vtep, int port) {
        fabric.floodList().add(vni, RemoteVtep.of(vtep, port));
    }

    @Override
    public void removeRemote(int vni, int vtep, int port) {
        fabric.floodList().remove(vni, RemoteVtep.of(vtep, port));
    }

    @Override
    public void addNeighbor(int vni, int ip, long mac, int vtep, int port) {
        fabric.addRemoteEndpoint(vni, ip, mac, RemoteVtep.of(vtep, port));
    }

    @Override
    public void removeNeighbor(int vni, int ip, long mac) {
        fabric.removeRemoteEndpoint(vni, ip, mac);
    }

    @Override
    public void announceVip(int vni, int vip) {
        VipSwitchHook.announce(fabric, vni, vip);
    }

    @Override
    public void withdrawVip(int vni, int vip) {
        fabric.neighborTable().remove(vni, vip);
    }

    @Override
    public void putService(ServiceKey key, List<ServiceBackend> backends) {
        services.put(key, backends);
    }

    @Override
    public void removeService(ServiceKey key) {
        services.remove(key);
    }

    @Override
    public void published(Map<ServiceKey, Published> ports) {
        published.offer(ports);
    }

    @Override
    public void records(List<MeshNetwork> networks) {
        records.replace(networks).whenComplete((done, failed) -> {
            if (failed != null) {
                LOG.atWarn().addKeyValue("error", failed.toString()).log("DNS records not updated");
            }
        });
    }
}
