package io.meshd.mesh;

import io.meshd.MeshOptions;
import io.meshd.daemon.VipSwitchHook;
import io.meshd.dns.DnsServer;
import io.meshd.dns.records.LiveRecordSource;
import io.meshd.gossip.GossipConfig;
import io.meshd.gossip.GossipNode;
import io.meshd.gossip.netty.NettyPeerChannel;
import io.meshd.lb.FlowPinTable;
import io.meshd.lb.ServiceTable;
import io.meshd.net.IoTransport;
import io.meshd.vxlan.vtep.UdpVtep;
import io.meshd.vxlan.vtep.VtepNode;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The parts of one mesh node, started together: the DNS records and responder, the service table and VIP hook, the
 * VTEP and switch, the mesh thread, and the gossip member with the mesh's tables declared and its listeners added
 * before it starts (so it sees every entry of its first state exchange).
 *
 * @param gossip the member
 * @param vtep the switch and its UDP endpoint
 * @param dns the responder (per-namespace listeners only)
 * @param records the live DNS records
 * @param services the VIP services the hook balances
 * @param hook the VIP NAT in the switch
 * @param loop the mesh thread
 * @param published the routing mesh (published ports), started by the facade
 */
public record Components(GossipNode gossip, VtepNode vtep, DnsServer dns, LiveRecordSource records,
                         ServiceTable services, VipSwitchHook hook, MeshLoop loop, PublishedPorts published)
    implements AutoCloseable {

    /**
     * The VIP services of a node: each service's Maglev table sized to its backends (the same on every node, which
     * counts the same backends from the same gossip state), 2 KB for up to 10 backends instead of 128 KB.
     *
     * @return an empty table
     */
    static ServiceTable serviceTable() {
        return ServiceTable.sizedByBackends();
    }

    /**
     * Starts every part (gossip last) and joins the seeds, without waiting; on failure what started is closed.
     *
     * @throws InterruptedException if interrupted while the DNS server starts
     */
    public static Components start(MeshOptions o) throws InterruptedException {
        LiveRecordSource records = LiveRecordSource.builder().domain(o.clusterDomain()).build();
        ServiceTable services = serviceTable();
        AtomicReference<VtepNode> vtepRef = new AtomicReference<>();
        VipSwitchHook hook = new VipSwitchHook(services, FlowPinTable.withDefaults(),
            () -> vtepRef.get().fabric().neighborTable());
        VtepNode vtep = null;
        DnsServer dns = null;
        MeshLoop loop = null;
        try {
            UdpVtep.Builder ub = UdpVtep.builder().local(o.vtepAddress()).port(o.vtepPort());
            if (o.vtepPort() == 0) {
                ub.ephemeralSourcePorts(2); // several nodes on one host (tests): no fixed source ports either
            }
            vtep = VtepNode.builder().vtep(ub).frameHook(hook).start();
            vtepRef.set(vtep);
            DnsServer.Builder db = DnsServer.builder().records(records).domain(o.clusterDomain()).threads(1);
            o.upstreams().forEach(db::upstream);
            dns = db.start();
            PublishedPorts published = new PublishedPorts(o.nodeName(), IoTransport.AUTO, o.routingMesh());
            loop = new MeshLoop(new VtepDataPlane(vtep.fabric(), services, records, published), o.nodeName());
            GossipNode gossip = gossip(o, loop);
            return new Components(gossip, vtep, dns, records, services, hook, loop, published);
        } catch (RuntimeException | InterruptedException e) {
            closeAll(null, vtep, dns, records, loop);
            throw e;
        }
    }

    private static GossipNode gossip(MeshOptions o, MeshLoop loop) {
        GossipConfig cfg = o.gossip().toBuilder().name(o.nodeName()).tables(MeshTable.scopes()).build();
        NettyPeerChannel.Builder cb = NettyPeerChannel.builder().bind(o.gossipBind())
            .maxStreamBytes(cfg.maxStreamBytes()).streamIdleTimeout(cfg.streamTimeout());
        o.gossipAdvertise().ifPresent(cb::advertise);
        NettyPeerChannel channel = cb.build();
        GossipNode node = GossipNode.builder().config(cfg).channel(channel).scheduler(channel.scheduler()).build();
        node.addTableListener(loop::onTableEvent);
        node.addMembershipListener(loop::onMember);
        node.start();
        if (!o.seeds().isEmpty()) {
            node.join(o.seeds());
        }
        return node;
    }

    /** Where gossip listens. */
    public InetSocketAddress gossipAddress() {
        return gossip.members().stream().filter(m -> m.name().equals(gossip.name())).findFirst()
            .orElseThrow().address();
    }

    /** Leaves the cluster (waiting up to {@code leave}), then closes every part. */
    public void close(Duration leave) {
        try {
            gossip.leave(leave).get(leave.toMillis() + 1000, TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            gossip.shutdown();
        }
        published.close();
        closeAll(gossip, vtep, dns, records, loop);
    }

    @Override
    public void close() {
        close(Duration.ofSeconds(2));
    }

    private static void closeAll(GossipNode gossip, VtepNode vtep, DnsServer dns, LiveRecordSource records,
        MeshLoop loop) {
        if (gossip != null) {
            gossip.shutdown();
        }
        if (loop != null) {
            loop.close();
        }
        if (dns != null) {
            dns.close();
        }
        if (vtep != null) {
            vtep.close();
        }
        records.close();
    }
}
