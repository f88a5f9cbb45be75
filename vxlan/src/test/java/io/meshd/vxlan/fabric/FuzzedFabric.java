package io.meshd.vxlan.fabric;

import io.meshd.packet.ArpView;
import io.meshd.packet.EthernetView;
import io.meshd.packet.Ipv4;
import io.meshd.packet.MacAddress;
import io.meshd.vxlan.codec.DropReason;
import io.meshd.vxlan.codec.Ipv4Encapsulator;
import io.meshd.vxlan.codec.VxlanCodec;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A switch for the fuzz targets, with learning, flooding and the ARP responder on: networks {@link #VNI_A} and
 * {@link #VNI_B} with two ports each (MACs {@code 02:00:00:00:00:01..04}), an unattached port, a flood-list peer per
 * network, a static entry for a remote MAC ({@link #REMOTE_MAC} behind {@link #PEER_A}) and neighbor entries for
 * {@code 10.0.0.1}. Every copy the switch hands out is recorded, so a target can check where each one went and that
 * it re-parses, and {@link #assertFates} checks that each input was counted exactly once: as one drop, one ARP
 * answer, one flood with at least one copy, or one forwarded copy.
 */
public final class FuzzedFabric {
    /** The first network. */
    public static final int VNI_A = 100;
    /** The second network. */
    public static final int VNI_B = 200;
    /** A VNI with no network. */
    public static final int UNKNOWN_VNI = 300;
    /** The flood-list peer of {@link #VNI_A}. */
    public static final RemoteVtep PEER_A = RemoteVtep.of(Ipv4.parse("192.168.7.1"));
    /** The flood-list peer of {@link #VNI_B}. */
    public static final RemoteVtep PEER_B = RemoteVtep.of(Ipv4.parse("192.168.7.2"));
    /** A MAC with a static entry behind {@link #PEER_A} in {@link #VNI_A}. */
    public static final long REMOTE_MAC = MacAddress.parse("02:00:00:00:01:01");
    /** The address the neighbor table knows in both networks. */
    public static final int NEIGHBOR_IP = Ipv4.parse("10.0.0.1");
    private static final Ipv4Encapsulator ENCAPSULATOR = Ipv4Encapsulator.builder()
        .sourceAddress(Ipv4.parse("192.168.7.9")).build();

    private final SwitchFabric fabric;
    private final List<Port> ports = new ArrayList<>();
    private final Port unattached = new Port(9, -1);
    private final Port uplink = new Port(0, -1);
    private final List<Copy> copies = new ArrayList<>();
    /** Room to re-encapsulate an uplink copy; the targets run on one thread. */
    private static final UnsafeBuffer DATAGRAM = new UnsafeBuffer(new byte[Ipv4Encapsulator.HEADROOM + 70_000]);

    /** Builds the switch. */
    public FuzzedFabric() {
        fabric = SwitchFabric.builder().uplink(uplink).build();
        int[] vnis = {VNI_A, VNI_B};
        for (int n = 0; n < vnis.length; n++) {
            fabric.addNetwork(vnis[n]);
            fabric.floodList().add(vnis[n], n == 0 ? PEER_A : PEER_B);
            for (int p = 0; p < 2; p++) {
                Port port = new Port(ports.size() + 1, vnis[n]);
                fabric.attach(vnis[n], port, portMac(port.id));
                ports.add(port);
            }
        }
        fabric.forwardingTable().putRemote(VNI_A, REMOTE_MAC, PEER_A);
        fabric.neighborTable().put(VNI_A, NEIGHBOR_IP, REMOTE_MAC);
        fabric.neighborTable().put(VNI_B, NEIGHBOR_IP, portMac(3));
    }

    /** The MAC of attached port {@code id} (1 to 4). */
    public static long portMac(int id) {
        return 0x0200_0000_0000L | id;
    }

    /** The switch. */
    public SwitchFabric fabric() {
        return fabric;
    }

    /**
     * A local port picked by a fuzzer's byte: one of the four attached ports, or (for one value in eight) a port
     * that was never attached.
     */
    public LocalPort port(int choice) {
        int index = (choice & 0xFF) % 8;
        return index == 7 ? unattached : ports.get(index % ports.size());
    }

    /** The VNI of a port, -1 for the unattached one. */
    public static int vniOf(LocalPort port) {
        return ((Port) port).vni;
    }

    /** The copies handed out since the last {@link #begin()}. */
    public List<Copy> copies() {
        return copies;
    }

    /**
     * Forgets the recorded copies, for the next input.
     *
     * @return the counters before it
     */
    public Counts begin() {
        copies.clear();
        return counts();
    }

    /**
     * What the switch has counted so far.
     *
     * @return the counters
     */
    public Counts counts() {
        var traffic = fabric.traffic();
        long[] drops = new long[DropReason.values().length];
        for (DropReason reason : DropReason.values()) {
            drops[reason.ordinal()] = fabric.counters().get(reason);
        }
        return new Counts(traffic.get(TrafficCounter.FROM_LOCAL), traffic.get(TrafficCounter.FROM_UPLINK),
            traffic.get(TrafficCounter.LOCAL_DELIVERIES), traffic.get(TrafficCounter.UPLINK_SENDS),
            traffic.get(TrafficCounter.FLOODS), traffic.get(TrafficCounter.ARP_REPLIES), drops);
    }

    /**
     * Checks that {@code inputs} frames had exactly one fate each between two counts, and that the copies made
     * agree with the counters. The totals cannot tell one flood with one copy from one forwarded copy, so several
     * inputs must not mix the two: check frames one at a time, or frames that share their Ethernet header (the
     * segments of one super-frame).
     *
     * @param before counts before
     * @param after counts after
     * @param inputs frames switched in between
     */
    public void assertFates(Counts before, Counts after, int inputs) {
        long drops = after.drops() - before.drops();
        long answers = after.arpReplies - before.arpReplies;
        long floods = after.floods - before.floods;
        long made = after.deliveries - before.deliveries + after.sends - before.sends;
        // An ARP answer goes straight to the asking port: counted as an answer, not as a delivery.
        assertEquals(made + answers, copies.size(), "every counted copy was handed out, and only those");
        assertTrue(floods == 0 || made >= floods, "a flood makes copies");
        long forwarded = floods == 0 ? made : 0;
        assertTrue(forwarded >= 0 && forwarded <= inputs, "forwarded " + forwarded);
        assertEquals(inputs, drops + answers + floods + forwarded, "one fate for each of " + inputs + " frames ("
            + drops + " drops " + Arrays.toString(after.dropsSince(before)) + ", " + answers + " ARP answers, "
            + floods + " floods, " + forwarded + " forwarded)");
    }

    /**
     * Checks that a copy re-parses: an Ethernet frame with a unicast source; an uplink copy encapsulated as the
     * VTEP does decapsulates and decodes to the same VNI and bytes.
     *
     * @param copy a copy the switch handed out
     */
    public void assertReparses(Copy copy) {
        UnsafeBuffer frame = new UnsafeBuffer(copy.bytes);
        assertTrue(copy.bytes.length >= EthernetView.HEADER_LENGTH, "an Ethernet header");
        assertTrue(MacAddress.isValidSource(MacAddress.read(frame, EthernetView.SOURCE_OFFSET)), "unicast source");
        if (copy.toUplink) {
            UnsafeBuffer datagram = DATAGRAM;
            datagram.putBytes(Ipv4Encapsulator.HEADROOM, copy.bytes);
            int length = ENCAPSULATOR.encapsulate(datagram, 0, copy.bytes.length, copy.vni, copy.remote.address());
            int vxlanAt = ENCAPSULATOR.decapsulate(datagram, 0, length);
            assertTrue(vxlanAt > 0, "the encapsulated copy decapsulates");
            assertEquals(copy.vni, VxlanCodec.decode(datagram, vxlanAt, length - vxlanAt), "VNI");
            byte[] inner = new byte[length - vxlanAt - VxlanCodec.HEADER_LENGTH];
            datagram.getBytes(vxlanAt + VxlanCodec.HEADER_LENGTH, inner);
            assertArrayEquals(copy.bytes, inner, "inner frame");
        }
    }

    /**
     * Checks that an ARP answer copy is a well-formed reply to the request in {@code request}.
     *
     * @param copy the answer
     * @param request the request frame
     */
    public static void assertArpReply(Copy copy, byte[] request) {
        UnsafeBuffer frame = new UnsafeBuffer(copy.bytes);
        ArpView reply = new ArpView().wrap(frame, EthernetView.HEADER_LENGTH, ArpView.HEADER_LENGTH);
        ArpView asked = new ArpView().wrap(new UnsafeBuffer(request), EthernetView.HEADER_LENGTH,
            ArpView.HEADER_LENGTH);
        assertEquals(ArpView.OP_REPLY, reply.operation());
        assertEquals(asked.targetIp(), reply.senderIp(), "answers for the address asked");
        assertEquals(asked.senderIp(), reply.targetIp(), "to the asker");
        assertEquals(asked.senderMac(), reply.targetMac());
        assertNotEquals(0, reply.senderMac());
    }

    /**
     * Counters at one moment.
     *
     * @param fromLocal frames from local ports
     * @param fromUplink frames from the uplink
     * @param deliveries copies to local ports
     * @param sends copies to the uplink
     * @param floods floods
     * @param arpReplies ARP answers
     * @param dropsByReason drops by {@link DropReason} ordinal
     */
    public record Counts(long fromLocal, long fromUplink, long deliveries, long sends, long floods, long arpReplies,
        long[] dropsByReason) {
        /** All drops. */
        public long drops() {
            return Arrays.stream(dropsByReason).sum();
        }

        /** Drops by reason since {@code before}. */
        public long[] dropsSince(Counts before) {
            long[] since = new long[dropsByReason.length];
            for (int i = 0; i < since.length; i++) {
                since[i] = dropsByReason[i] - before.dropsByReason[i];
            }
            return since;
        }

        /** Drops for one reason since {@code before}. */
        public long dropsSince(Counts before, DropReason reason) {
            return dropsByReason[reason.ordinal()] - before.dropsByReason[reason.ordinal()];
        }
    }

    /**
     * One copy handed out by the switch.
     *
     * @param toUplink sent to the uplink (else delivered to a port)
     * @param portId the port it was delivered to (0 for the uplink)
     * @param portVni that port's network (-1 for the uplink)
     * @param vni the VNI it was sent with (uplink copies)
     * @param remote the VTEP it was sent to (uplink copies)
     * @param bytes the frame
     */
    public record Copy(boolean toUplink, int portId, int portVni, int vni, RemoteVtep remote, byte[] bytes) {
    }

    /** A port (or the uplink) that records every copy. */
    private final class Port implements LocalPort, Uplink {
        final int id;
        final int vni;

        Port(int id, int vni) {
            this.id = id;
            this.vni = vni;
        }

        @Override
        public int id() {
            return id;
        }

        @Override
        public void deliver(DirectBuffer frame, int offset, int length) {
            copies.add(new Copy(false, id, vni, -1, null, bytes(frame, offset, length)));
        }

        @Override
        public void send(int sendVni, RemoteVtep to, DirectBuffer frame, int offset, int length) {
            copies.add(new Copy(true, 0, -1, sendVni, to, bytes(frame, offset, length)));
        }

        @Override
        public void sendSegments(int sendVni, RemoteVtep to, SegmentedFrame frame, MutableDirectBuffer scratch) {
            for (int i = 0; i < frame.segments(); i++) {
                send(sendVni, to, scratch, 0, frame.writeSegment(i, scratch, 0));
            }
        }

        private byte[] bytes(DirectBuffer frame, int offset, int length) {
            byte[] bytes = new byte[length];
            frame.getBytes(offset, bytes);
            return bytes;
        }
    }
}
