package io.meshd.vxlan.fabric;

import io.meshd.packet.FlowHash;
import io.meshd.vxlan.codec.VxlanCodec;
import io.meshd.packet.EthernetView;
import io.meshd.packet.Ipv4;
import io.meshd.packet.MacAddress;
import io.meshd.packet.testing.TestFrames;
import io.meshd.vxlan.testing.Allocations;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The packet path allocates nothing once warm: exactly 0 bytes per batch of frames of every kind, measured with the
 * JVM's per-thread allocation counter ({@link Allocations#assertAllocatesNothing}; the JMH benches measure the same
 * with {@code -prof gc}).
 */
class PacketPathAllocationTest {
    private static final int WARM_UP = 30_000;
    private static final int MEASURED = 20_000;

    private long sink;

    @Test
    void shouldNotAllocateWhileSwitchingEncapsulatingAndDecapsulating() {
        CountingPort uplink = new CountingPort(0);
        CountingPort portA = new CountingPort(1);
        CountingPort portB = new CountingPort(2);
        SwitchFabric fabric = SwitchFabric.builder().uplink(uplink).build();
        fabric.addNetwork(42);
        long macA = MacAddress.parse("02:42:0a:00:00:02");
        long macB = MacAddress.parse("02:42:0a:00:00:03");
        long macRemote = MacAddress.parse("02:42:0a:00:00:63");
        RemoteVtep peer = RemoteVtep.parse("10.1.0.2");
        fabric.attach(42, portA, macA);
        fabric.attach(42, portB, macB);
        fabric.floodList().add(42, peer);
        fabric.forwardingTable().putRemote(42, macRemote, peer);
        fabric.neighborTable().put(42, Ipv4.parse("10.0.0.99"), macRemote);
        UnsafeBuffer toRemote = TestFrames.udp(macRemote, macA, 1, 2, 3, 4, 1000);
        UnsafeBuffer toLocal = TestFrames.ethernet(macB, macA, EthernetView.TYPE_IPV4, 100);
        UnsafeBuffer broadcast = TestFrames.ethernet(MacAddress.BROADCAST, macA, EthernetView.TYPE_IPV4, 100);
        UnsafeBuffer arp = TestFrames.arpRequest(macA, Ipv4.parse("10.0.0.2"), Ipv4.parse("10.0.0.99"));
        UnsafeBuffer fromPeer = TestFrames.ethernet(macA, MacAddress.parse("02:42:0a:00:00:64"),
            EthernetView.TYPE_IPV4, 100);
        UnsafeBuffer encap = new UnsafeBuffer(new byte[8 + toRemote.capacity()]);
        encap.putBytes(8, toRemote, 0, toRemote.capacity());
        Runnable frames = () -> {
            fabric.fromLocal(portA, toRemote, 0, toRemote.capacity());
            fabric.fromLocal(portA, toLocal, 0, toLocal.capacity());
            fabric.fromLocal(portA, broadcast, 0, broadcast.capacity());
            fabric.fromLocal(portA, arp, 0, arp.capacity());
            fabric.fromUplink(42, peer, fromPeer, 0, fromPeer.capacity());
            VxlanCodec.encode(encap, 0, 42);
            sink += VxlanCodec.decode(encap, 0, encap.capacity());
            sink += FlowHash.sourcePort(toRemote, 0, toRemote.capacity(), FlowHash.DEFAULT_LOW, FlowHash.DEFAULT_HIGH);
        };
        for (int i = 0; i < WARM_UP; i++) {
            frames.run();
        }


        Allocations.assertAllocatesNothing(() -> {
            for (int i = 0; i < MEASURED; i++) {
                frames.run();
            }
        }, MEASURED * 5L);
        assertTrue(portA.count() > 0 && portB.count() > 0 && uplink.count() > 0 && sink != 0);
    }
}
