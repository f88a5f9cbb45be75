package io.meshd.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.meshd.lb.FlowPinTable;
import io.meshd.lb.LbCounter;
import io.meshd.lb.MaglevTable;
import io.meshd.lb.ServiceSpec;
import io.meshd.lb.ServiceTable;
import io.meshd.lb.VipFrameNat;
import io.meshd.packet.Checksums;
import io.meshd.packet.EthernetView;
import io.meshd.packet.Ipv4;
import io.meshd.packet.Ipv4View;
import io.meshd.packet.MacAddress;
import io.meshd.packet.TcpView;
import io.meshd.packet.testing.TestFrames;
import io.meshd.vxlan.fabric.RecordingPort;
import io.meshd.vxlan.fabric.SwitchFabric;
import io.meshd.vxlan.fabric.TrafficCounter;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.TimeUnit;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The VIP NAT running inside the overlay switch, client and backend attached to one node. */
class VipSwitchHookTest {
    private static final int VNI = 42;
    private static final int IP = EthernetView.HEADER_LENGTH;
    private static final int CLIENT = Ipv4.parse("10.0.9.2");
    private static final int BACKEND = Ipv4.parse("10.0.9.5");
    private static final int VIP = Ipv4.parse("10.0.9.100");
    private static final long CLIENT_MAC = MacAddress.fromIpv4(CLIENT);
    private static final long BACKEND_MAC = MacAddress.fromIpv4(BACKEND);

    private final RecordingPort client = new RecordingPort(1);
    private final RecordingPort backend = new RecordingPort(2);
    private VipSwitchHook hook;
    private SwitchFabric fabric;

    @BeforeEach
    void setUp() {
        ServiceTable services = ServiceTable.withTableSize(MaglevTable.DEFAULT_SIZE);
        ServiceSpec web = ServiceSpec.parse("10.0.9.100:80/tcp=10.0.9.5:8080");
        services.put(web.key(), web.backends());
        AtomicReference<SwitchFabric> built = new AtomicReference<>();
        hook = new VipSwitchHook(services, FlowPinTable.withDefaults(), () -> built.get().neighborTable());
        fabric = SwitchFabric.builder().frameHook(hook).build();
        built.set(fabric);
        fabric.addNetwork(VNI);
        fabric.attach(VNI, client, CLIENT_MAC);
        fabric.attach(VNI, backend, BACKEND_MAC);
        fabric.neighborTable().put(VNI, CLIENT, CLIENT_MAC);
        fabric.neighborTable().put(VNI, BACKEND, BACKEND_MAC);
        VipSwitchHook.announce(fabric, VNI, VIP);
    }

    private static Ipv4View ip(UnsafeBuffer frame) {
        return new Ipv4View().wrap(frame, IP, frame.capacity() - IP);
    }

    private static TcpView tcp(UnsafeBuffer frame) {
        Ipv4View ip = ip(frame);
        return new TcpView().wrap(frame, ip.payloadOffset(), ip.totalLength() - ip.headerLength());
    }

    private static void assertChecksumsValid(UnsafeBuffer frame) {
        Ipv4View ip = ip(frame);
        assertEquals(0, Checksums.checksum(frame, IP, ip.headerLength()), "IPv4 header checksum");
        int tcpLength = ip.totalLength() - ip.headerLength();
        long pseudo = Checksums.pseudoHeaderIpv4(ip.source(), ip.destination(), Ipv4View.PROTOCOL_TCP, tcpLength);
        assertEquals(0, Checksums.finish(Checksums.sum(frame, ip.payloadOffset(), tcpLength, pseudo)),
            "TCP checksum");
    }

    @Test
    void shouldAnswerArpForTheVipWithItsMac() {
        UnsafeBuffer request = TestFrames.arpRequest(CLIENT_MAC, CLIENT, VIP);

        fabric.fromLocal(client, request, 0, request.capacity());

        assertEquals(1, client.count());
        UnsafeBuffer answer = new UnsafeBuffer(client.frames().get(0));
        assertEquals(VipFrameNat.vipMac(VIP), MacAddress.read(answer, EthernetView.SOURCE_OFFSET));
    }

    @Test
    void shouldCarryAConnectionToTheVipToTheBackendAndItsRepliesBackAsTheVip() {
        UnsafeBuffer syn = TestFrames.tcp(VipFrameNat.vipMac(VIP), CLIENT_MAC, CLIENT, VIP, 40_000, 80, 0x02, 0);

        fabric.fromLocal(client, syn, 0, syn.capacity());

        assertEquals(1, backend.count(), "delivered to the backend's port");
        UnsafeBuffer atBackend = new UnsafeBuffer(backend.frames().get(0));
        assertEquals(BACKEND_MAC, MacAddress.read(atBackend, EthernetView.DESTINATION_OFFSET));
        assertEquals(CLIENT, ip(atBackend).source(), "the backend sees the client's own address");
        assertEquals(BACKEND, ip(atBackend).destination());
        assertEquals(8080, tcp(atBackend).destinationPort());
        assertChecksumsValid(atBackend);

        UnsafeBuffer synAck = TestFrames.tcp(CLIENT_MAC, BACKEND_MAC, BACKEND, CLIENT, 8080, 40_000, 0x12, 0);
        fabric.fromLocal(backend, synAck, 0, synAck.capacity());

        assertEquals(1, client.count(), "the reply reaches the client");
        UnsafeBuffer atClient = new UnsafeBuffer(client.frames().get(0));
        assertEquals(VipFrameNat.vipMac(VIP), MacAddress.read(atClient, EthernetView.SOURCE_OFFSET));
        assertEquals(VIP, ip(atClient).source(), "the client sees the VIP");
        assertEquals(80, tcp(atClient).sourcePort());
        assertChecksumsValid(atClient);
        assertEquals(1, hook.counters().get(LbCounter.TO_BACKEND));
        assertEquals(1, hook.counters().get(LbCounter.TO_CLIENT));
    }

    @Test
    void shouldResetAConnectionToAPortWithoutAService() {
        UnsafeBuffer syn = TestFrames.tcp(VipFrameNat.vipMac(VIP), CLIENT_MAC, CLIENT, VIP, 40_001, 81, 0x02, 0);

        fabric.fromLocal(client, syn, 0, syn.capacity());

        assertTrue(backend.count() == 0);
        assertEquals(1, client.count(), "the answer goes back to the client");
        UnsafeBuffer rst = new UnsafeBuffer(client.frames().get(0));
        assertEquals(VIP, ip(rst).source());
        assertEquals(0x04, tcp(rst).flags() & 0x04, "RST");
        assertChecksumsValid(rst);
        assertEquals(1, fabric.traffic().get(TrafficCounter.HOOK_REPLIES));
        assertEquals(1, hook.counters().get(LbCounter.NO_SERVICE));
    }

    @Test
    void shouldDropAndCountAFlowWhoseBackendHasNoKnownMac() {
        fabric.neighborTable().remove(VNI, BACKEND);
        UnsafeBuffer syn = TestFrames.tcp(VipFrameNat.vipMac(VIP), CLIENT_MAC, CLIENT, VIP, 40_002, 80, 0x02, 0);

        fabric.fromLocal(client, syn, 0, syn.capacity());

        assertTrue(backend.count() == 0 && client.count() == 0);
        assertEquals(1, hook.counters().get(LbCounter.NO_NEIGHBOR));
    }

    /**
     * An idle TCP connection keeps its backend for longer than Docker's IPVS, which forgets idle TCP after 900 s:
     * the flow's pin lives 7,440 s idle (longer than Linux's 7,200 s keepalive). The backend it went to is set
     * draining meanwhile, so without the pin its next segment would go to the other backend. Time is injected.
     */
    @Test
    void shouldKeepAnIdleConnectionOnItsBackendPastDockersIdleDrop() {
        long[] now = {0};
        ServiceTable services = ServiceTable.withTableSize(MaglevTable.DEFAULT_SIZE);
        int second = Ipv4.parse("10.0.9.6");
        services.put(ServiceSpec.parse("10.0.9.100:80/tcp=10.0.9.5:8080,10.0.9.6:8080").key(),
            ServiceSpec.parse("10.0.9.100:80/tcp=10.0.9.5:8080,10.0.9.6:8080").backends());
        AtomicReference<SwitchFabric> built = new AtomicReference<>();
        VipSwitchHook clocked = new VipSwitchHook(services, FlowPinTable.withDefaults(),
            () -> built.get().neighborTable(), () -> now[0]);
        SwitchFabric sw = SwitchFabric.builder().frameHook(clocked).build();
        built.set(sw);
        RecordingPort otherBackend = new RecordingPort(3);
        sw.addNetwork(VNI);
        sw.attach(VNI, client, CLIENT_MAC);
        sw.attach(VNI, backend, BACKEND_MAC);
        sw.attach(VNI, otherBackend, MacAddress.fromIpv4(second));
        sw.neighborTable().put(VNI, BACKEND, BACKEND_MAC);
        sw.neighborTable().put(VNI, second, MacAddress.fromIpv4(second));
        VipSwitchHook.announce(sw, VNI, VIP);

        UnsafeBuffer syn = TestFrames.tcp(VipFrameNat.vipMac(VIP), CLIENT_MAC, CLIENT, VIP, 41_000, 80, 0x02, 0);
        sw.fromLocal(client, syn, 0, syn.capacity());
        int chosen = ip(syn).destination();
        String chosenId = Ipv4.format(chosen) + ":8080";
        // The chosen backend now drains: a new flow can no longer get it, so only the pin keeps this one there.
        ServiceSpec draining = ServiceSpec.parse("10.0.9.100:80/tcp=" + chosenId + "=0,"
            + Ipv4.format(chosen == BACKEND ? second : BACKEND) + ":8080");
        services.put(draining.key(), draining.backends());

        now[0] = TimeUnit.SECONDS.toNanos(1_000);
        UnsafeBuffer late = TestFrames.tcp(VipFrameNat.vipMac(VIP), CLIENT_MAC, CLIENT, VIP, 41_000, 80, 0x10, 10);
        sw.fromLocal(client, late, 0, late.capacity());
        assertEquals(chosen, ip(late).destination(), "1,000 s idle: still the same backend");

        now[0] += TimeUnit.SECONDS.toNanos(7_441);
        UnsafeBuffer later = TestFrames.tcp(VipFrameNat.vipMac(VIP), CLIENT_MAC, CLIENT, VIP, 41_000, 80, 0x10, 10);
        sw.fromLocal(client, later, 0, later.capacity());
        assertTrue(ip(later).destination() != chosen, "past the pin's 7,440 s the flow takes Maglev's pick again");
    }
}
