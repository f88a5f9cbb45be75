package io.meshd.vxlan.fabric;

import io.meshd.vxlan.codec.DropReason;
import io.meshd.vxlan.codec.VxlanCodec;
import io.meshd.packet.EthernetView;
import io.meshd.packet.Ipv4;
import io.meshd.packet.MacAddress;
import io.meshd.vxlan.testing.FakeSuperFrame;
import io.meshd.packet.testing.TestFrames;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.HexFormat;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SwitchFabricTest {
    private static final int VNI = 4096;
    private static final int OTHER_VNI = 4097;
    private static final long MAC_A = MacAddress.parse("02:42:0a:00:00:02");
    private static final long MAC_B = MacAddress.parse("02:42:0a:00:00:03");
    private static final long MAC_C = MacAddress.parse("02:42:0a:00:00:04");
    private static final long MAC_REMOTE = MacAddress.parse("02:42:0a:00:00:63");
    private static final RemoteVtep PEER = RemoteVtep.parse("10.1.0.2:4789");
    private static final RemoteVtep OTHER_PEER = RemoteVtep.parse("10.1.0.3:4789");

    private final MutableClock clock = new MutableClock();
    private final RecordingUplink uplink = new RecordingUplink();
    private final RecordingPort portA = new RecordingPort(1);
    private final RecordingPort portB = new RecordingPort(2);
    private final RecordingPort portC = new RecordingPort(3);
    private SwitchFabric fabric;

    @BeforeEach
    void setUp() {
        fabric = fabric(SwitchFabric.builder());
    }

    private SwitchFabric fabric(SwitchFabric.Builder builder) {
        SwitchFabric built = builder.clock(clock).uplink(uplink).agingTime(Duration.ofSeconds(300)).build();
        built.addNetwork(VNI);
        built.addNetwork(OTHER_VNI);
        built.attach(VNI, portA, MAC_A);
        built.attach(VNI, portB, MAC_B);
        built.attach(OTHER_VNI, portC, MAC_C);
        built.floodList().add(VNI, PEER);
        built.floodList().add(OTHER_VNI, OTHER_PEER);
        return built;
    }

    private static byte[] bytes(DirectBuffer buffer) {
        byte[] copy = new byte[buffer.capacity()];
        buffer.getBytes(0, copy);
        return copy;
    }

    @Test
    void shouldDeliverUnicastToTheLocalPortOfTheDestination() {
        UnsafeBuffer frame = TestFrames.ethernet(MAC_B, MAC_A, EthernetView.TYPE_IPV4, 100);

        fabric.fromLocal(portA, frame, 0, frame.capacity());

        assertEquals(1, portB.count());
        assertArrayEquals(bytes(frame), portB.frames().get(0));
        assertEquals(0, portA.count());
        assertEquals(0, portC.count());
        assertTrue(uplink.sent().isEmpty());
        assertEquals(0, fabric.counters().total());
    }

    @Test
    void shouldSendTheSegmentsOfASuperFrameForARemoteMacToItsVtepInOneDecision() {
        fabric.forwardingTable().putRemote(VNI, MAC_REMOTE, OTHER_PEER);
        FakeSuperFrame superFrame = superFrame(MAC_REMOTE, MAC_A);

        fabric.fromLocalSegments(portA, superFrame, new UnsafeBuffer(new byte[2048]));

        assertEquals(1, uplink.segmentBatches());
        assertSegmentsSent(superFrame, uplink.sent().stream().map(RecordingUplink.Sent::frame).toList());
        assertTrue(uplink.sent().stream().allMatch(s -> s.vni() == VNI && s.to().equals(OTHER_PEER)));
        assertEquals(3, fabric.traffic().get(TrafficCounter.FROM_LOCAL));
        assertEquals(3, fabric.traffic().get(TrafficCounter.UPLINK_SENDS));
        assertEquals(portA, fabric.forwardingTable().lookup(VNI, MAC_A).port, "the source is learned");
        assertEquals(0, fabric.counters().total());
    }

    @Test
    void shouldSwitchTheSegmentsOfASuperFrameOneByOneWhenTheyDoNotGoToOneVtep() {
        FakeSuperFrame toLocal = superFrame(MAC_B, MAC_A);
        fabric.fromLocalSegments(portA, toLocal, new UnsafeBuffer(new byte[2048]));
        assertSegmentsSent(toLocal, portB.frames());
        assertTrue(uplink.sent().isEmpty());

        FakeSuperFrame unknown = superFrame(MAC_REMOTE, MAC_A);
        fabric.fromLocalSegments(portA, unknown, new UnsafeBuffer(new byte[2048]));
        assertSegmentsSent(unknown, uplink.sent().stream().map(RecordingUplink.Sent::frame).toList());
        assertEquals(0, uplink.segmentBatches(), "flooded segments take the per-frame path");
        assertEquals(6, fabric.traffic().get(TrafficCounter.FROM_LOCAL));

        FakeSuperFrame fromUnattached = superFrame(MAC_B, MAC_C);
        fabric.fromLocalSegments(new RecordingPort(99), fromUnattached, new UnsafeBuffer(new byte[2048]));
        assertEquals(3, fabric.counters().get(DropReason.UNKNOWN_PORT), "each segment is counted as the drop it is");
    }

    /** Three segments (two of 500 payload bytes, one of 200) behind an Ethernet + 40-byte header. */
    private static FakeSuperFrame superFrame(long destination, long source) {
        byte[] headers = new byte[54];
        new UnsafeBuffer(headers).putBytes(0, TestFrames.ethernet(destination, source, EthernetView.TYPE_IPV4, 40),
            0, 54);
        return new FakeSuperFrame(headers, 500, 1200, true);
    }

    private static void assertSegmentsSent(FakeSuperFrame superFrame, List<byte[]> frames) {
        assertEquals(superFrame.segments(), frames.size());
        for (int i = 0; i < frames.size(); i++) {
            assertArrayEquals(superFrame.expected(i), frames.get(i), "segment " + i);
        }
    }

    @Test
    void shouldSendUnicastForARemoteMacToItsVtep() {
        fabric.forwardingTable().putRemote(VNI, MAC_REMOTE, OTHER_PEER);
        UnsafeBuffer frame = TestFrames.ethernet(MAC_REMOTE, MAC_A, EthernetView.TYPE_IPV4, 60);

        fabric.fromLocal(portA, frame, 0, frame.capacity());

        assertEquals(1, uplink.sent().size());
        RecordingUplink.Sent sent = uplink.sent().get(0);
        assertEquals(VNI, sent.vni());
        assertEquals(OTHER_PEER, sent.to());
        assertArrayEquals(bytes(frame), sent.frame());
        assertEquals(0, portB.count());
    }

    @Test
    void shouldForwardAFrameAtAnOffsetInsideALargerBuffer() {
        UnsafeBuffer frame = TestFrames.ethernet(MAC_B, MAC_A, EthernetView.TYPE_IPV4, 50);
        UnsafeBuffer larger = new UnsafeBuffer(new byte[frame.capacity() + 30]);
        larger.putBytes(10, frame, 0, frame.capacity());

        fabric.fromLocal(portA, larger, 10, frame.capacity());

        assertArrayEquals(bytes(frame), portB.frames().get(0));
    }

    @Test
    void shouldFloodBroadcastToOtherLocalPortsAndTheFloodListOfTheSameNetwork() {
        fabric.floodList().add(VNI, OTHER_PEER);
        UnsafeBuffer frame = TestFrames.ethernet(MacAddress.BROADCAST, MAC_A, EthernetView.TYPE_IPV4, 40);

        fabric.fromLocal(portA, frame, 0, frame.capacity());

        assertEquals(0, portA.count(), "never back to the ingress port");
        assertEquals(1, portB.count());
        assertEquals(0, portC.count(), "never into another network");
        assertEquals(2, uplink.sent().size());
        assertEquals(PEER, uplink.sent().get(0).to());
        assertEquals(OTHER_PEER, uplink.sent().get(1).to());
        assertEquals(VNI, uplink.sent().get(1).vni());
        assertEquals(1, fabric.traffic().get(TrafficCounter.FLOODS));
    }

    @Test
    void shouldFloodUnknownUnicastLikeBroadcast() {
        UnsafeBuffer frame = TestFrames.ethernet(MacAddress.parse("02:00:00:00:00:99"), MAC_A,
            EthernetView.TYPE_IPV4, 40);

        fabric.fromLocal(portA, frame, 0, frame.capacity());

        assertEquals(1, portB.count());
        assertEquals(1, uplink.sent().size());
    }

    @Test
    void shouldNotReplicateToTheFloodListWhenFloodingIsOff() {
        SwitchFabric quiet = fabric(SwitchFabric.builder().flooding(false));
        UnsafeBuffer frame = TestFrames.ethernet(MacAddress.BROADCAST, MAC_A, EthernetView.TYPE_IPV4, 40);

        quiet.fromLocal(portA, frame, 0, frame.capacity());

        assertEquals(1, portB.count());
        assertTrue(uplink.sent().isEmpty());
    }

    @Test
    void shouldNeverSendFramesFromTheUplinkBackToTheUplink() {
        fabric.forwardingTable().putRemote(VNI, MAC_REMOTE, OTHER_PEER);
        UnsafeBuffer broadcast = TestFrames.ethernet(MacAddress.BROADCAST, MAC_REMOTE, EthernetView.TYPE_IPV4, 40);
        UnsafeBuffer unknown = TestFrames.ethernet(MacAddress.parse("02:00:00:00:00:99"), MAC_REMOTE,
            EthernetView.TYPE_IPV4, 40);
        UnsafeBuffer toRemote = TestFrames.ethernet(MAC_REMOTE, MacAddress.parse("02:00:00:00:00:98"),
            EthernetView.TYPE_IPV4, 40);

        fabric.fromUplink(VNI, PEER, broadcast, 0, broadcast.capacity());
        fabric.fromUplink(VNI, PEER, unknown, 0, unknown.capacity());
        fabric.fromUplink(VNI, PEER, toRemote, 0, toRemote.capacity());

        assertTrue(uplink.sent().isEmpty());
        assertEquals(2, portA.count());
        assertEquals(2, portB.count());
        assertEquals(0, portC.count());
        assertEquals(1, fabric.counters().get(DropReason.LOOP));
    }

    @Test
    void shouldKeepNetworksIsolated() {
        UnsafeBuffer toOtherNetwork = TestFrames.ethernet(MAC_C, MAC_A, EthernetView.TYPE_IPV4, 40);
        UnsafeBuffer fromOtherNetwork = TestFrames.ethernet(MAC_A, MAC_C, EthernetView.TYPE_IPV4, 40);

        fabric.fromLocal(portA, toOtherNetwork, 0, toOtherNetwork.capacity());
        assertEquals(0, portC.count(), "MAC_C lives in another VNI: flooded in VNI " + VNI + " only");
        assertEquals(1, portB.count());

        fabric.fromLocal(portC, fromOtherNetwork, 0, fromOtherNetwork.capacity());
        assertEquals(0, portA.count(), "MAC_A is unknown in VNI " + OTHER_VNI);
        assertEquals(1, portB.count());

        UnsafeBuffer remoteInOther = TestFrames.ethernet(MAC_A, MAC_REMOTE, EthernetView.TYPE_IPV4, 40);
        fabric.fromUplink(OTHER_VNI, OTHER_PEER, remoteInOther, 0, remoteInOther.capacity());
        assertEquals(0, portA.count(), "a frame of VNI " + OTHER_VNI + " reaches only that VNI's ports");
        assertEquals(1, portC.count());
        assertTrue(fabric.forwardingTable().find(VNI, MAC_REMOTE).isEmpty(), "learned in its own VNI only");
        for (RecordingUplink.Sent sent : uplink.sent()) {
            assertEquals(sent.to().equals(PEER) ? VNI : OTHER_VNI, sent.vni());
        }
    }

    @Test
    void shouldAnswerAnArpRequestForAKnownNeighborWithACorrectReply() {
        fabric.neighborTable().put(VNI, Ipv4.parse("10.0.0.99"), MAC_REMOTE);
        UnsafeBuffer request = TestFrames.arpRequest(MAC_A, Ipv4.parse("10.0.0.2"), Ipv4.parse("10.0.0.99"));

        fabric.fromLocal(portA, request, 0, request.capacity());

        // Ethernet: to the asker, from the neighbor, ARP; ARP reply: neighbor is-at, to the asker.
        byte[] expected = HexFormat.of().parseHex("0242" + "0a000002" + "0242" + "0a000063" + "0806"
            + "0001" + "0800" + "06" + "04" + "0002" + "02420a000063" + "0a000063" + "02420a000002" + "0a000002");
        assertEquals(1, portA.count());
        assertArrayEquals(expected, portA.frames().get(0));
        assertEquals(0, portB.count(), "answered, not flooded");
        assertTrue(uplink.sent().isEmpty(), "answered, not flooded");
        assertEquals(1, fabric.traffic().get(TrafficCounter.ARP_REPLIES));
    }

    @Test
    void shouldAnswerArpAndSendUnicastForARemoteEndpointUntilItIsRemoved() {
        int ip = Ipv4.parse("10.0.0.77");
        long mac = MacAddress.fromIpv4(ip);
        fabric.addRemoteEndpoint(VNI, ip, mac, OTHER_PEER);
        UnsafeBuffer request = TestFrames.arpRequest(MAC_A, Ipv4.parse("10.0.0.2"), ip);
        UnsafeBuffer toEndpoint = TestFrames.ethernet(mac, MAC_A, EthernetView.TYPE_IPV4, 40);

        fabric.fromLocal(portA, request, 0, request.capacity());
        fabric.fromLocal(portA, toEndpoint, 0, toEndpoint.capacity());

        assertEquals(1, portA.count(), "ARP answered");
        assertEquals(1, uplink.sent().size());
        assertEquals(OTHER_PEER, uplink.sent().get(0).to());

        assertTrue(fabric.removeRemoteEndpoint(VNI, ip, mac));
        assertFalse(fabric.removeRemoteEndpoint(VNI, ip, mac));
        fabric.fromLocal(portA, request, 0, request.capacity());
        assertEquals(1, portA.count(), "not answered any more");
        assertEquals(2, uplink.sent().size(), "flooded to the flood list instead");
        assertEquals(PEER, uplink.sent().get(1).to());
    }

    @Test
    void shouldFloodAnArpRequestForAnUnknownNeighbor() {
        UnsafeBuffer request = TestFrames.arpRequest(MAC_A, Ipv4.parse("10.0.0.2"), Ipv4.parse("10.0.0.50"));

        fabric.fromLocal(portA, request, 0, request.capacity());

        assertEquals(0, portA.count());
        assertEquals(1, portB.count());
        assertEquals(1, uplink.sent().size());
    }

    @Test
    void shouldNotAnswerAnArpRequestForANeighborOfAnotherNetwork() {
        fabric.neighborTable().put(OTHER_VNI, Ipv4.parse("10.0.0.99"), MAC_REMOTE);
        UnsafeBuffer request = TestFrames.arpRequest(MAC_A, Ipv4.parse("10.0.0.2"), Ipv4.parse("10.0.0.99"));

        fabric.fromLocal(portA, request, 0, request.capacity());

        assertEquals(0, portA.count());
        assertEquals(1, portB.count());
    }

    @Test
    void shouldFloodGratuitousArpInsteadOfAnsweringIt() {
        int ip = Ipv4.parse("10.0.0.2");
        fabric.neighborTable().put(VNI, ip, MAC_A);
        UnsafeBuffer announcement = TestFrames.arpRequest(MAC_A, ip, ip);

        fabric.fromLocal(portA, announcement, 0, announcement.capacity());

        assertEquals(0, portA.count());
        assertEquals(1, portB.count());
    }

    @Test
    void shouldFloodArpWhenTheResponderIsOff() {
        SwitchFabric plain = fabric(SwitchFabric.builder().arpResponder(false));
        plain.neighborTable().put(VNI, Ipv4.parse("10.0.0.99"), MAC_REMOTE);
        UnsafeBuffer request = TestFrames.arpRequest(MAC_A, Ipv4.parse("10.0.0.2"), Ipv4.parse("10.0.0.99"));

        plain.fromLocal(portA, request, 0, request.capacity());

        assertEquals(0, portA.count());
        assertEquals(1, portB.count());
        assertEquals(1, uplink.sent().size());
    }

    @Test
    void shouldLearnARemoteSourceAndSendRepliesStraightToItsVtep() {
        UnsafeBuffer fromPeer = TestFrames.ethernet(MacAddress.BROADCAST, MAC_REMOTE, EthernetView.TYPE_ARP, 28);
        UnsafeBuffer reply = TestFrames.ethernet(MAC_REMOTE, MAC_A, EthernetView.TYPE_IPV4, 40);

        fabric.fromUplink(VNI, OTHER_PEER, fromPeer, 0, fromPeer.capacity());
        fabric.fromLocal(portA, reply, 0, reply.capacity());

        assertEquals(1, uplink.sent().size(), "unicast, not flooded to " + PEER);
        assertEquals(OTHER_PEER, uplink.sent().get(0).to());
        assertTrue(fabric.forwardingTable().find(VNI, MAC_REMOTE).orElseThrow().isLearned());
        assertEquals(1, fabric.traffic().get(TrafficCounter.LEARNED));
    }

    @Test
    void shouldLearnALocalSourceBehindAPort() {
        long behindA = MacAddress.parse("02:00:00:00:00:aa");
        UnsafeBuffer fromA = TestFrames.ethernet(MacAddress.BROADCAST, behindA, EthernetView.TYPE_IPV4, 40);
        UnsafeBuffer toA = TestFrames.ethernet(behindA, MAC_B, EthernetView.TYPE_IPV4, 40);

        fabric.fromLocal(portA, fromA, 0, fromA.capacity());
        uplink.clear();
        fabric.fromLocal(portB, toA, 0, toA.capacity());

        assertEquals(1, portA.count());
        assertTrue(uplink.sent().isEmpty());
    }

    @Test
    void shouldNotLearnWhenLearningIsOff() {
        SwitchFabric static1 = fabric(SwitchFabric.builder().learning(false));
        UnsafeBuffer fromPeer = TestFrames.ethernet(MacAddress.BROADCAST, MAC_REMOTE, EthernetView.TYPE_IPV4, 40);

        static1.fromUplink(VNI, OTHER_PEER, fromPeer, 0, fromPeer.capacity());

        assertTrue(static1.forwardingTable().find(VNI, MAC_REMOTE).isEmpty());
    }

    @Test
    void shouldReadTheClockOnlyForFramesInvolvingLearnedEntries() {
        fabric.forwardingTable().putRemote(VNI, MAC_REMOTE, PEER);
        UnsafeBuffer staticOnly = TestFrames.ethernet(MAC_REMOTE, MAC_A, EthernetView.TYPE_IPV4, 40);
        long before = clock.reads();

        fabric.fromLocal(portA, staticOnly, 0, staticOnly.capacity());
        assertEquals(before, clock.reads(), "static source and destination: no clock");

        long learnedMac = MacAddress.parse("02:00:00:00:00:77");
        UnsafeBuffer fromLearned = TestFrames.ethernet(MAC_A, learnedMac, EthernetView.TYPE_IPV4, 40);
        UnsafeBuffer toLearned = TestFrames.ethernet(learnedMac, MAC_A, EthernetView.TYPE_IPV4, 40);
        fabric.fromUplink(VNI, OTHER_PEER, fromLearned, 0, fromLearned.capacity());
        assertEquals(before + 1, clock.reads(), "learned source, static destination: one reading");
        fabric.fromLocal(portA, toLearned, 0, toLearned.capacity());
        assertEquals(before + 2, clock.reads(), "static source, learned destination: one reading");
        assertEquals(OTHER_PEER, uplink.sent().get(1).to());
    }

    @Test
    void shouldForgetLearnedEntriesAfterTheAgingTime() {
        UnsafeBuffer fromPeer = TestFrames.ethernet(MacAddress.BROADCAST, MAC_REMOTE, EthernetView.TYPE_IPV4, 40);
        fabric.fromUplink(VNI, OTHER_PEER, fromPeer, 0, fromPeer.capacity());

        clock.advance(Duration.ofSeconds(299));
        assertTrue(fabric.forwardingTable().find(VNI, MAC_REMOTE).isPresent());
        assertEquals(0, fabric.expireLearned());

        clock.advance(Duration.ofSeconds(2));
        assertTrue(fabric.forwardingTable().find(VNI, MAC_REMOTE).isEmpty(), "aged out before the sweep");
        assertEquals(1, fabric.expireLearned());
        assertTrue(fabric.forwardingTable().find(VNI, MAC_A).isPresent(), "static entries never age");
    }

    @Test
    void shouldKeepALearnedEntryAliveWhileTrafficRefreshesIt() {
        UnsafeBuffer fromPeer = TestFrames.ethernet(MacAddress.BROADCAST, MAC_REMOTE, EthernetView.TYPE_IPV4, 40);
        for (int i = 0; i < 5; i++) {
            fabric.fromUplink(VNI, OTHER_PEER, fromPeer, 0, fromPeer.capacity());
            clock.advance(Duration.ofSeconds(200));
        }

        assertTrue(fabric.forwardingTable().find(VNI, MAC_REMOTE).isPresent());
        assertEquals(0, fabric.expireLearned());
    }

    @Test
    void shouldNeverLetLearningOverrideAStaticEntry() {
        UnsafeBuffer spoof = TestFrames.ethernet(MacAddress.BROADCAST, MAC_A, EthernetView.TYPE_IPV4, 40);

        fabric.fromUplink(VNI, OTHER_PEER, spoof, 0, spoof.capacity());

        FdbEntry entry = fabric.forwardingTable().find(VNI, MAC_A).orElseThrow();
        assertFalse(entry.isLearned());
        assertEquals(portA, entry.localPort().orElseThrow());
    }

    @Test
    void shouldMoveALearnedEntryWhenTheAddressAppearsBehindAnotherVtep() {
        UnsafeBuffer frame = TestFrames.ethernet(MacAddress.BROADCAST, MAC_REMOTE, EthernetView.TYPE_IPV4, 40);

        fabric.fromUplink(VNI, PEER, frame, 0, frame.capacity());
        fabric.fromUplink(VNI, OTHER_PEER, frame, 0, frame.capacity());

        assertEquals(OTHER_PEER, fabric.forwardingTable().find(VNI, MAC_REMOTE).orElseThrow().remoteVtep()
            .orElseThrow());
    }

    @Test
    void shouldSwitchTheInnerFrameOfAVxlanPayloadAndCountCodecDrops() {
        UnsafeBuffer frame = TestFrames.ethernet(MAC_B, MAC_REMOTE, EthernetView.TYPE_IPV4, 40);
        UnsafeBuffer payload = new UnsafeBuffer(new byte[8 + frame.capacity()]);
        payload.putBytes(8, frame, 0, frame.capacity());
        VxlanCodec.encode(payload, 0, VNI);

        fabric.fromVxlan(PEER, payload, 0, payload.capacity());
        payload.putByte(0, (byte) 0);
        fabric.fromVxlan(PEER, payload, 0, payload.capacity());
        fabric.fromVxlan(PEER, payload, 0, 7);
        VxlanCodec.encode(payload, 0, 99);
        fabric.fromVxlan(PEER, payload, 0, payload.capacity());

        assertEquals(1, portB.count());
        assertArrayEquals(bytes(frame), portB.frames().get(0));
        assertEquals(PEER, fabric.forwardingTable().find(VNI, MAC_REMOTE).orElseThrow().remoteVtep().orElseThrow());
        assertEquals(1, fabric.counters().get(DropReason.BAD_FLAGS));
        assertEquals(1, fabric.counters().get(DropReason.TRUNCATED));
        assertEquals(1, fabric.counters().get(DropReason.UNKNOWN_VNI));
        assertEquals(4, fabric.traffic().get(TrafficCounter.FROM_UPLINK));
    }

    @Test
    void shouldDropTruncatedFrames() {
        UnsafeBuffer frame = TestFrames.ethernet(MAC_B, MAC_A, EthernetView.TYPE_IPV4, 0);

        fabric.fromLocal(portA, frame, 0, 13);
        fabric.fromUplink(VNI, PEER, frame, 0, 5);
        fabric.fromLocal(portA, frame, 4, frame.capacity());
        fabric.fromLocal(portA, frame, -1, frame.capacity());

        assertEquals(4, fabric.counters().get(DropReason.TRUNCATED));
        assertEquals(0, portB.count());
    }

    @Test
    void shouldDropOversizedFrames() {
        SwitchFabric small = fabric(SwitchFabric.builder().maxFrameLength(1514));
        UnsafeBuffer frame = TestFrames.ethernet(MAC_B, MAC_A, EthernetView.TYPE_IPV4, 1501);

        small.fromLocal(portA, frame, 0, frame.capacity());
        small.fromUplink(VNI, PEER, frame, 0, frame.capacity());

        assertEquals(2, small.counters().get(DropReason.OVERSIZED));
        assertEquals(0, portB.count());
    }

    @Test
    void shouldDropFramesForAnUnknownVni() {
        UnsafeBuffer frame = TestFrames.ethernet(MacAddress.BROADCAST, MAC_REMOTE, EthernetView.TYPE_IPV4, 40);

        fabric.fromUplink(77, PEER, frame, 0, frame.capacity());

        assertEquals(1, fabric.counters().get(DropReason.UNKNOWN_VNI));
        assertEquals(0, portA.count());
        assertEquals(0, portC.count());
        assertTrue(fabric.forwardingTable().find(77, MAC_REMOTE).isEmpty(), "nothing learned");
    }

    @Test
    void shouldDropFramesFromAPortThatIsNotAttached() {
        UnsafeBuffer frame = TestFrames.ethernet(MAC_B, MAC_A, EthernetView.TYPE_IPV4, 40);

        fabric.fromLocal(new RecordingPort(99), frame, 0, frame.capacity());
        fabric.fromLocal(new RecordingPort(1), frame, 0, frame.capacity());

        assertEquals(2, fabric.counters().get(DropReason.UNKNOWN_PORT), "unknown id, and a stranger with A's id");
        assertEquals(0, portB.count());
    }

    @Test
    void shouldDropFramesWithAGroupOrZeroSourceAddress() {
        UnsafeBuffer multicastSource = TestFrames.ethernet(MAC_B, MacAddress.parse("01:00:5e:00:00:01"),
            EthernetView.TYPE_IPV4, 40);
        UnsafeBuffer zeroSource = TestFrames.ethernet(MAC_B, 0, EthernetView.TYPE_IPV4, 40);

        fabric.fromLocal(portA, multicastSource, 0, multicastSource.capacity());
        fabric.fromUplink(VNI, PEER, zeroSource, 0, zeroSource.capacity());

        assertEquals(2, fabric.counters().get(DropReason.BAD_INNER_FRAME));
        assertEquals(0, portB.count());
    }

    @Test
    void shouldDropAFrameAddressedBackToItsIngressPort() {
        UnsafeBuffer frame = TestFrames.ethernet(MAC_A, MAC_A, EthernetView.TYPE_IPV4, 40);

        fabric.fromLocal(portA, frame, 0, frame.capacity());

        assertEquals(1, fabric.counters().get(DropReason.LOOP));
        assertEquals(0, portA.count());
    }

    @Test
    void shouldCountNoRouteWhenAFloodReachesNobody() {
        SwitchFabric lonely = SwitchFabric.builder().clock(clock).build();
        lonely.addNetwork(VNI);
        lonely.attach(VNI, portA, MAC_A);
        lonely.forwardingTable().putRemote(VNI, MAC_REMOTE, PEER);
        UnsafeBuffer broadcast = TestFrames.ethernet(MacAddress.BROADCAST, MAC_A, EthernetView.TYPE_IPV4, 40);
        UnsafeBuffer toRemote = TestFrames.ethernet(MAC_REMOTE, MAC_A, EthernetView.TYPE_IPV4, 40);

        lonely.fromLocal(portA, broadcast, 0, broadcast.capacity());
        lonely.fromLocal(portA, toRemote, 0, toRemote.capacity());

        assertEquals(2, lonely.counters().get(DropReason.NO_ROUTE), "no other port, no uplink");
    }

    @Test
    void shouldCountAndSwallowAFailingPortOrUplink() {
        LocalPort broken = new LocalPort() {
            @Override
            public int id() {
                return 7;
            }

            @Override
            public void deliver(DirectBuffer frame, int offset, int length) {
                throw new IllegalStateException("tap gone");
            }
        };
        SwitchFabric failing = SwitchFabric.builder().clock(clock).uplink((vni, to, frame, offset, length) -> {
            throw new IllegalStateException("socket closed");
        }).build();
        failing.addNetwork(VNI);
        failing.attach(VNI, portA, MAC_A);
        failing.attach(VNI, broken, MAC_B);
        failing.floodList().add(VNI, PEER);
        UnsafeBuffer broadcast = TestFrames.ethernet(MacAddress.BROADCAST, MAC_A, EthernetView.TYPE_IPV4, 40);

        failing.fromLocal(portA, broadcast, 0, broadcast.capacity());

        assertEquals(2, failing.counters().get(DropReason.SEND_FAILED));
    }

    @Test
    void shouldRemoveAPortAndItsEntriesOnDetach() {
        UnsafeBuffer frame = TestFrames.ethernet(MAC_B, MAC_A, EthernetView.TYPE_IPV4, 40);

        assertTrue(fabric.detach(portB));
        fabric.fromLocal(portA, frame, 0, frame.capacity());
        fabric.fromLocal(portB, frame, 0, frame.capacity());

        assertEquals(0, portB.count());
        assertTrue(fabric.forwardingTable().find(VNI, MAC_B).isEmpty());
        assertEquals(1, uplink.sent().size(), "MAC_B unknown now: flooded");
        assertEquals(1, fabric.counters().get(DropReason.UNKNOWN_PORT));
        assertFalse(fabric.detach(portB));
    }

    @Test
    void shouldRemoveEverythingOfANetworkWithIt() {
        fabric.neighborTable().put(VNI, Ipv4.parse("10.0.0.99"), MAC_REMOTE);
        fabric.forwardingTable().putRemote(VNI, MAC_REMOTE, PEER);

        assertTrue(fabric.removeNetwork(VNI));

        assertTrue(fabric.ports(VNI).isEmpty());
        assertTrue(fabric.floodList().members(VNI).isEmpty());
        assertEquals(NeighborTable.NONE, fabric.neighborTable().lookup(VNI, Ipv4.parse("10.0.0.99")));
        assertTrue(fabric.forwardingTable().find(VNI, MAC_REMOTE).isEmpty());
        assertTrue(fabric.forwardingTable().find(VNI, MAC_A).isEmpty());
        assertEquals(java.util.List.of(OTHER_VNI), fabric.networks());
        UnsafeBuffer frame = TestFrames.ethernet(MAC_B, MAC_A, EthernetView.TYPE_IPV4, 40);
        fabric.fromLocal(portA, frame, 0, frame.capacity());
        assertEquals(1, fabric.counters().get(DropReason.UNKNOWN_PORT));
    }

    @Test
    void shouldRejectBadControlPlaneInput() {
        assertThrows(IllegalStateException.class, () -> fabric.attach(5, new RecordingPort(10), MAC_REMOTE));
        assertThrows(IllegalStateException.class, () -> fabric.attach(VNI, new RecordingPort(1), MAC_REMOTE));
        assertThrows(IllegalArgumentException.class, () -> fabric.attach(VNI, new RecordingPort(11),
            MacAddress.BROADCAST));
        assertThrows(IllegalArgumentException.class, () -> fabric.addNetwork(1 << 24));
        assertThrows(IllegalArgumentException.class, () -> fabric.addNetwork(-1));
    }
}
