package io.meshd.vxlan.fabric;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.meshd.packet.EthernetView;
import io.meshd.packet.MacAddress;
import io.meshd.packet.testing.TestFrames;
import io.meshd.vxlan.codec.DropReason;
import io.meshd.vxlan.codec.VxlanCodec;
import io.meshd.vxlan.testing.FakeSuperFrame;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Where the switch calls its {@link FrameHook} and what it does with each verdict. */
class FrameHookTest {
    private static final int VNI = 4096;
    private static final long MAC_A = MacAddress.parse("02:42:0a:00:00:02");
    private static final long MAC_B = MacAddress.parse("02:42:0a:00:00:03");
    /** What the fake hook treats as a VIP's MAC: frames to it are rewritten to {@link #MAC_BACKEND}. */
    private static final long MAC_VIP = MacAddress.parse("02:42:0a:00:00:64");
    private static final long MAC_BACKEND = MacAddress.parse("02:42:0a:00:00:63");
    /** Frames to this MAC are answered by the hook; to {@link #MAC_DROP} dropped; to {@link #MAC_THROW} it throws. */
    private static final long MAC_CLOSED = MacAddress.parse("02:42:0a:00:00:65");
    private static final long MAC_DROP = MacAddress.parse("02:42:0a:00:00:66");
    private static final long MAC_THROW = MacAddress.parse("02:42:0a:00:00:67");
    private static final RemoteVtep PEER = RemoteVtep.parse("10.1.0.2:4789");

    private final RecordingUplink uplink = new RecordingUplink();
    private final RecordingPort portA = new RecordingPort(1);
    private final RecordingPort portB = new RecordingPort(2);
    private final FakeHook hook = new FakeHook();
    private SwitchFabric fabric;

    @BeforeEach
    void setUp() {
        fabric = SwitchFabric.builder().clock(new MutableClock()).uplink(uplink).agingTime(Duration.ofSeconds(300))
            .frameHook(hook).build();
        fabric.addNetwork(VNI);
        fabric.attach(VNI, portA, MAC_A);
        fabric.attach(VNI, portB, MAC_B);
        fabric.forwardingTable().putRemote(VNI, MAC_BACKEND, PEER);
    }

    /**
     * Rewrites a frame to {@link #MAC_VIP} towards {@link #MAC_BACKEND}; marks frames towards endpoints by setting
     * their source MAC to {@link #MAC_VIP}; answers, drops or throws for the marker MACs.
     */
    private static final class FakeHook implements FrameHook {
        final List<Long> seenFrom = new ArrayList<>();
        final List<Long> seenTowards = new ArrayList<>();
        final UnsafeBuffer reply = new UnsafeBuffer(TestFrames.ethernet(MAC_A, MAC_CLOSED, EthernetView.TYPE_IPV4,
            60));

        @Override
        public Verdict fromEndpoint(int vni, MutableDirectBuffer frame, int offset, int length) {
            long destination = MacAddress.read(frame, offset + EthernetView.DESTINATION_OFFSET);
            seenFrom.add(destination);
            if (destination == MAC_VIP) {
                MacAddress.write(frame, offset + EthernetView.DESTINATION_OFFSET, MAC_BACKEND);
            } else if (destination == MAC_CLOSED) {
                return Verdict.REPLY;
            } else if (destination == MAC_DROP) {
                return Verdict.DROP;
            } else if (destination == MAC_THROW) {
                throw new IllegalStateException("hook failure");
            }
            return Verdict.FORWARD;
        }

        @Override
        public void towardsEndpoint(int vni, MutableDirectBuffer frame, int offset, int length) {
            seenTowards.add(MacAddress.read(frame, offset + EthernetView.DESTINATION_OFFSET));
            MacAddress.write(frame, offset + EthernetView.SOURCE_OFFSET, MAC_VIP);
        }

        @Override
        public DirectBuffer reply() {
            return reply;
        }

        @Override
        public int replyLength() {
            return reply.capacity();
        }
    }

    private static long destination(byte[] frame) {
        return MacAddress.read(new UnsafeBuffer(frame), EthernetView.DESTINATION_OFFSET);
    }

    private static long source(byte[] frame) {
        return MacAddress.read(new UnsafeBuffer(frame), EthernetView.SOURCE_OFFSET);
    }

    @Test
    void shouldForwardByTheDestinationTheHookWrote() {
        UnsafeBuffer frame = TestFrames.ethernet(MAC_VIP, MAC_A, EthernetView.TYPE_IPV4, 100);

        fabric.fromLocal(portA, frame, 0, frame.capacity());

        assertEquals(1, uplink.sent().size(), "looked up as the backend's MAC, which is behind the peer");
        assertEquals(PEER, uplink.sent().get(0).to());
        assertEquals(MAC_BACKEND, destination(uplink.sent().get(0).frame()));
        assertEquals(0, portB.count(), "not flooded as an unknown MAC");
        assertEquals(List.of(), hook.seenTowards, "a frame leaving through the uplink is not translated back");
        assertEquals(0, fabric.counters().total());
    }

    @Test
    void shouldDeliverTheHooksReplyToTheSenderAndNothingElse() {
        UnsafeBuffer frame = TestFrames.ethernet(MAC_CLOSED, MAC_A, EthernetView.TYPE_IPV4, 100);

        fabric.fromLocal(portA, frame, 0, frame.capacity());

        assertEquals(1, portA.count());
        assertArrayEquals(TestFrames.ethernet(MAC_A, MAC_CLOSED, EthernetView.TYPE_IPV4, 60).byteArray(),
            portA.frames().get(0));
        assertEquals(0, portB.count());
        assertTrue(uplink.sent().isEmpty());
        assertEquals(1, fabric.traffic().get(TrafficCounter.HOOK_REPLIES));
        assertEquals(0, fabric.counters().total());
    }

    @Test
    void shouldCountWhatTheHookDropsOrFailsOnAsHookDrops() {
        UnsafeBuffer dropped = TestFrames.ethernet(MAC_DROP, MAC_A, EthernetView.TYPE_IPV4, 100);
        UnsafeBuffer failed = TestFrames.ethernet(MAC_THROW, MAC_A, EthernetView.TYPE_IPV4, 100);

        fabric.fromLocal(portA, dropped, 0, dropped.capacity());
        fabric.fromLocal(portA, failed, 0, failed.capacity());

        assertEquals(2, fabric.counters().get(DropReason.HOOK_DROPPED));
        assertEquals(0, portA.count() + portB.count());
        assertTrue(uplink.sent().isEmpty());
    }

    @Test
    void shouldTranslateFramesForLocalEndpointsOnBothPathsBeforeDelivery() {
        UnsafeBuffer local = TestFrames.ethernet(MAC_B, MAC_A, EthernetView.TYPE_IPV4, 100);
        fabric.fromLocal(portA, local, 0, local.capacity());
        assertEquals(MAC_VIP, source(portB.frames().get(0)), "local delivery goes through towardsEndpoint");

        UnsafeBuffer datagram = new UnsafeBuffer(new byte[VxlanCodec.HEADER_LENGTH + 100]);
        VxlanCodec.encode(datagram, 0, VNI);
        datagram.putBytes(VxlanCodec.HEADER_LENGTH, TestFrames.ethernet(MAC_A, MAC_BACKEND, EthernetView.TYPE_IPV4,
            100), 0, 100);
        fabric.fromVxlan(PEER, datagram, 0, datagram.capacity());
        assertEquals(MAC_VIP, source(portA.frames().get(0)), "a frame from the uplink goes through towardsEndpoint");
        assertEquals(List.of(MAC_B, MAC_A), hook.seenTowards);
    }

    @Test
    void shouldNotShowAnsweredArpToTheHook() {
        fabric.neighborTable().put(VNI, 0x0a000064, MAC_VIP);
        UnsafeBuffer request = TestFrames.arpRequest(MAC_A, 0x0a000002, 0x0a000064);

        fabric.fromLocal(portA, request, 0, request.capacity());

        assertEquals(1, portA.count(), "answered by the ARP responder");
        assertEquals(List.of(), hook.seenFrom);
    }

    @Test
    void shouldRewriteASuperFrameOnceForAllItsSegments() {
        byte[] headers = new byte[54];
        new UnsafeBuffer(headers).putBytes(0, TestFrames.ethernet(MAC_VIP, MAC_A, EthernetView.TYPE_IPV4, 40), 0, 54);
        FakeSuperFrame superFrame = new FakeSuperFrame(headers, 500, 1200, true);

        fabric.fromLocalSegments(portA, superFrame, new UnsafeBuffer(new byte[2048]));

        assertEquals(List.of(MAC_VIP), hook.seenFrom, "one call for the whole super-frame");
        assertEquals(1, uplink.segmentBatches(), "the rewritten destination is one remote VTEP");
        assertEquals(3, uplink.sent().size());
        assertTrue(uplink.sent().stream().allMatch(s -> destination(s.frame()) == MAC_BACKEND && s.to().equals(PEER)));
    }

    @Test
    void shouldCountEverySegmentOfADroppedSuperFrame() {
        byte[] headers = new byte[54];
        new UnsafeBuffer(headers).putBytes(0, TestFrames.ethernet(MAC_DROP, MAC_A, EthernetView.TYPE_IPV4, 40), 0,
            54);

        fabric.fromLocalSegments(portA, new FakeSuperFrame(headers, 500, 1200, true), new UnsafeBuffer(new byte[2048]));

        assertEquals(3, fabric.counters().get(DropReason.HOOK_DROPPED));
        assertEquals(3, fabric.traffic().get(TrafficCounter.FROM_LOCAL));
        assertTrue(uplink.sent().isEmpty());
    }
}
