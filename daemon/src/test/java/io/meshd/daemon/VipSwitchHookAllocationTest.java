package io.meshd.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.meshd.lb.FlowPinTable;
import io.meshd.lb.LbCounter;
import io.meshd.lb.MaglevTable;
import io.meshd.lb.ServiceSpec;
import io.meshd.lb.ServiceTable;
import io.meshd.lb.VipFrameNat;
import io.meshd.packet.Ipv4;
import io.meshd.packet.MacAddress;
import io.meshd.packet.testing.TestFrames;
import io.meshd.vxlan.fabric.CountingPort;
import io.meshd.vxlan.fabric.RemoteVtep;
import io.meshd.vxlan.fabric.SwitchFabric;
import io.meshd.vxlan.testing.Allocations;
import java.util.concurrent.atomic.AtomicReference;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

/**
 * The switch with the VIP NAT allocates nothing per frame once warm: translated frames both ways (to a local and to
 * a remote backend), a closed-port answer, and a connection made straight to a backend's address, which the NAT
 * pins and leaves alone. Measured with the JVM's per-thread
 * allocation counter ({@link Allocations}: most batches exactly 0 bytes, none beyond JIT noise); the JMH bench
 * measures the NAT itself with {@code -prof gc}.
 */
class VipSwitchHookAllocationTest {
    private static final int VNI = 42;
    private static final int WARM_UP = 30_000;
    private static final int MEASURED = 5_000;
    private static final int CLIENT = Ipv4.parse("10.0.9.2");
    private static final int LOCAL_BACKEND = Ipv4.parse("10.0.9.5");
    private static final int REMOTE_BACKEND = Ipv4.parse("10.0.9.6");
    private static final int VIP = Ipv4.parse("10.0.9.100");
    private static final long CLIENT_MAC = MacAddress.fromIpv4(CLIENT);
    private static final long LOCAL_MAC = MacAddress.fromIpv4(LOCAL_BACKEND);
    private static final long REMOTE_MAC = MacAddress.fromIpv4(REMOTE_BACKEND);
    private static final long VIP_MAC = VipFrameNat.vipMac(VIP);

    /** One frame, restored from its template before each pass (the NAT rewrites it in place). */
    private record Frame(UnsafeBuffer template, UnsafeBuffer work) {
        static Frame of(UnsafeBuffer template) {
            return new Frame(template, new UnsafeBuffer(new byte[template.capacity()]));
        }

        MutableDirectBuffer fresh() {
            work.putBytes(0, template, 0, template.capacity());
            return work;
        }
    }

    @Test
    void shouldNotAllocateWhileTranslatingFramesInTheSwitch() {
        ServiceTable services = ServiceTable.withTableSize(MaglevTable.DEFAULT_SIZE);
        ServiceSpec web = ServiceSpec.parse("10.0.9.100:80/tcp=10.0.9.5:8080");
        ServiceSpec dns = ServiceSpec.parse("10.0.9.100:53/udp=10.0.9.6:53");
        services.put(web.key(), web.backends());
        services.put(dns.key(), dns.backends());
        AtomicReference<SwitchFabric> built = new AtomicReference<>();
        VipSwitchHook hook = new VipSwitchHook(services, FlowPinTable.withDefaults(),
            () -> built.get().neighborTable());
        CountingPort uplink = new CountingPort(0);
        CountingPort client = new CountingPort(1);
        CountingPort backend = new CountingPort(2);
        SwitchFabric fabric = SwitchFabric.builder().uplink(uplink).frameHook(hook).build();
        built.set(fabric);
        fabric.addNetwork(VNI);
        fabric.attach(VNI, client, CLIENT_MAC);
        fabric.attach(VNI, backend, LOCAL_MAC);
        fabric.neighborTable().put(VNI, CLIENT, CLIENT_MAC);
        fabric.neighborTable().put(VNI, LOCAL_BACKEND, LOCAL_MAC);
        RemoteVtep peer = RemoteVtep.parse("10.1.0.2");
        fabric.addRemoteEndpoint(VNI, REMOTE_BACKEND, REMOTE_MAC, peer);
        VipSwitchHook.announce(fabric, VNI, VIP);
        Frame toLocalBackend = Frame.of(TestFrames.tcp(VIP_MAC, CLIENT_MAC, CLIENT, VIP, 40_000, 80, 0x10, 100));
        Frame localReply = Frame.of(TestFrames.tcp(CLIENT_MAC, LOCAL_MAC, LOCAL_BACKEND, CLIENT, 8080, 40_000, 0x10,
            100));
        Frame toRemoteBackend = Frame.of(TestFrames.udp(VIP_MAC, CLIENT_MAC, CLIENT, VIP, 40_001, 53, 40));
        Frame remoteReply = Frame.of(TestFrames.udp(CLIENT_MAC, REMOTE_MAC, REMOTE_BACKEND, CLIENT, 53, 40_001, 40));
        Frame closedPort = Frame.of(TestFrames.tcp(VIP_MAC, CLIENT_MAC, CLIENT, VIP, 40_002, 81, 0x02, 0));
        Frame direct = Frame.of(TestFrames.tcp(LOCAL_MAC, CLIENT_MAC, CLIENT, LOCAL_BACKEND, 40_003, 8080, 0x10, 10));
        Frame directReply = Frame.of(TestFrames.tcp(CLIENT_MAC, LOCAL_MAC, LOCAL_BACKEND, CLIENT, 8080, 40_003, 0x10,
            10));
        Runnable frames = () -> {
            fabric.fromLocal(client, toLocalBackend.fresh(), 0, toLocalBackend.work().capacity());
            fabric.fromLocal(backend, localReply.fresh(), 0, localReply.work().capacity());
            fabric.fromLocal(client, toRemoteBackend.fresh(), 0, toRemoteBackend.work().capacity());
            fabric.fromUplink(VNI, peer, remoteReply.fresh(), 0, remoteReply.work().capacity());
            fabric.fromLocal(client, closedPort.fresh(), 0, closedPort.work().capacity());
            fabric.fromLocal(client, direct.fresh(), 0, direct.work().capacity());
            fabric.fromLocal(backend, directReply.fresh(), 0, directReply.work().capacity());
        };
        for (int i = 0; i < WARM_UP; i++) {
            frames.run();
        }
        long toBackend = hook.counters().get(LbCounter.TO_BACKEND);
        long toClient = hook.counters().get(LbCounter.TO_CLIENT);

        Allocations.assertAllocatesNothing(() -> {
            for (int i = 0; i < MEASURED; i++) {
                frames.run();
            }
        }, MEASURED * 7L);

        long measured = (long) MEASURED * Allocations.BATCHES;
        assertEquals(2 * measured, hook.counters().get(LbCounter.TO_BACKEND) - toBackend, "both flows translated");
        assertEquals(2 * measured, hook.counters().get(LbCounter.TO_CLIENT) - toClient, "both replies translated");
    }
}
