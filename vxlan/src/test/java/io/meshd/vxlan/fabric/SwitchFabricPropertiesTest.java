package io.meshd.vxlan.fabric;

import io.meshd.packet.ArpView;
import io.meshd.packet.EthernetView;
import io.meshd.packet.MacAddress;
import io.meshd.packet.testing.SeededProperty;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Random traffic over three networks with two ports each, learning, flooding and the ARP responder on: frames built
 * from a few known MACs (so unicast, learning, moves and ARP answers all happen) with generated payloads, sometimes
 * cut short or placed off the end of the buffer, entering from random ports or from the uplink under random VNIs
 * (one unknown). Whatever comes in: nothing throws, no copy reaches a port or VTEP of another network, nothing from
 * the uplink goes back to the uplink, and every frame has exactly one fate: one drop, one ARP answer, one flood
 * (with at least one copy), or one forwarded copy. Each trial draws its frames from a seeded generator (a failure
 * names the seed that replays it, see {@link SeededProperty}); the mutant tests run the same trials against broken
 * switches and show each one caught.
 */
class SwitchFabricPropertiesTest {
    private static final int[] VNIS = {100, 200, 300};
    private static final long[] MACS = {MacAddress.BROADCAST, 0x0200_0000_0001L, 0x0200_0000_0002L,
        0x0200_0000_0003L, 0x0200_0000_0004L, 0x0100_5E00_0001L, 0};
    private static final RemoteVtep[] PEERS = {RemoteVtep.of(1), RemoteVtep.of(2)};
    private static final int UNKNOWN_VNI = 999;

    private static final long SEED = 0x5F_0001L;
    private static final int TRIES = 300;

    /** How a frame enters the switch, so that a broken switch can be put in the real one's place. */
    interface Switch {
        /** The real fabric. */
        Switch REAL = new Switch() {
        };

        default void fromLocal(SwitchFabric fabric, LocalPort in, MutableDirectBuffer frame, int offset, int length) {
            fabric.fromLocal(in, frame, offset, length);
        }

        default void fromUplink(SwitchFabric fabric, Uplink uplink, int vni, RemoteVtep from, MutableDirectBuffer frame,
            int offset, int length) {
            fabric.fromUplink(vni, from, frame, offset, length);
        }
    }

    @Test
    void framesNeverCrossNetworksAndHaveExactlyOneFate() {
        SeededProperty.forAll("frames never cross networks and have exactly one fate", SEED, TRIES,
            random -> oneFateWithinTheNetwork(Switch.REAL, random));
    }

    @Test
    void shouldCatchASwitchThatHandsUnknownVnisToAKnownNetwork() {
        assertCaught(new Switch() {
            @Override
            public void fromUplink(SwitchFabric fabric, Uplink uplink, int vni, RemoteVtep from,
                MutableDirectBuffer frame, int offset, int length) {
                fabric.fromUplink(vni == UNKNOWN_VNI ? VNIS[0] : vni, from, frame, offset, length);
            }
        });
    }

    @Test
    void shouldCatchASwitchThatReflectsUplinkFramesToTheUplink() {
        assertCaught(new Switch() {
            @Override
            public void fromUplink(SwitchFabric fabric, Uplink uplink, int vni, RemoteVtep from,
                MutableDirectBuffer frame, int offset, int length) {
                fabric.fromUplink(vni, from, frame, offset, length);
                if (MacAddress.isMulticast(MacAddress.read(frame, offset))) {
                    uplink.send(vni, from, frame, offset, length);
                }
            }
        });
    }

    @Test
    void shouldCatchASwitchThatSwitchesAFrameTwice() {
        assertCaught(new Switch() {
            @Override
            public void fromLocal(SwitchFabric fabric, LocalPort in, MutableDirectBuffer frame, int offset,
                int length) {
                fabric.fromLocal(in, frame, offset, length);
                if (length > 60) {
                    fabric.fromLocal(in, frame, offset, length);
                }
            }
        });
    }

    private static void assertCaught(Switch mutant) {
        assertTrue(SeededProperty.firstFailure(SEED, TRIES, random -> oneFateWithinTheNetwork(mutant, random))
            .isPresent(), "the property misses the mutant");
    }

    static void oneFateWithinTheNetwork(Switch switcher, SplittableRandom random) {
        int[] choices = new int[random.nextInt(41)];
        for (int i = 0; i < choices.length; i++) {
            choices[i] = random.nextInt(Integer.MAX_VALUE);
        }
        List<byte[]> payloads = new ArrayList<>();
        for (int i = 1 + random.nextInt(10); i > 0; i--) {
            payloads.add(SeededProperty.bytes(random, 80));
        }
        Tracker uplink = new Tracker(-1, -1);
        SwitchFabric fabric = SwitchFabric.builder().uplink(uplink).build();
        List<Tracker> ports = new ArrayList<>();
        for (int n = 0; n < VNIS.length; n++) {
            fabric.addNetwork(VNIS[n]);
            fabric.floodList().add(VNIS[n], PEERS[n % 2]);
            fabric.neighborTable().put(VNIS[n], 0x0A000001, MACS[1 + n]);
            for (int p = 0; p < 2; p++) {
                Tracker port = new Tracker(ports.size(), VNIS[n]);
                fabric.attach(VNIS[n], port, 0x0242_0000_0000L | ports.size() + 1);
                ports.add(port);
            }
        }
        for (int i = 0; i < choices.length; i++) {
            int choice = choices[i];
            UnsafeBuffer frame = frame(choice, payloads.get(i % payloads.size()));
            int offset = choice % 97 == 0 ? choice % 7 : 0;
            int length = choice % 89 == 0 ? frame.capacity() - choice % 20 : frame.capacity() - offset;
            boolean fromUplink = choice % 3 == 0;
            Tracker in = ports.get(choice / 5 % ports.size());
            int vni = !fromUplink ? in.vni : choice % 11 == 0 ? UNKNOWN_VNI : VNIS[choice / 3 % VNIS.length];
            ports.forEach(port -> port.expect(vni, false));
            uplink.expect(vni, fromUplink);
            long[] before = counts(fabric);

            if (fromUplink) {
                switcher.fromUplink(fabric, uplink, vni, PEERS[choice % 2], frame, offset, length);
            } else {
                switcher.fromLocal(fabric, in, frame, offset, length);
            }

            long[] after = counts(fabric);
            long drops = after[0] - before[0];
            long answers = after[1] - before[1];
            long floods = after[2] - before[2];
            long copies = after[3] - before[3];
            assertEquals(1, drops + answers + floods + (floods == 0 ? copies : 0), "one fate for frame " + i);
            assertTrue(floods == 0 || copies >= 1, "a flood makes copies");
            for (Tracker port : ports) {
                assertEquals(0, port.violations, "port of VNI " + port.vni + " got a frame of VNI " + vni);
            }
            assertEquals(0, uplink.violations, "uplink copy of another VNI, or from the uplink back to it");
        }
    }

    /** Drops, ARP answers, floods, copies handed to ports and the uplink. */
    private static long[] counts(SwitchFabric fabric) {
        return new long[] {fabric.counters().total(), fabric.traffic().get(TrafficCounter.ARP_REPLIES),
            fabric.traffic().get(TrafficCounter.FLOODS), fabric.traffic().get(TrafficCounter.LOCAL_DELIVERIES)
            + fabric.traffic().get(TrafficCounter.UPLINK_SENDS)};
    }

    /** A frame from a few known MACs (broadcast, four stations, a multicast, zero); sometimes an ARP request. */
    private static UnsafeBuffer frame(int choice, byte[] payload) {
        boolean arp = choice % 4 == 1;
        int length = EthernetView.HEADER_LENGTH + (arp ? ArpView.HEADER_LENGTH : payload.length);
        UnsafeBuffer frame = new UnsafeBuffer(new byte[length]);
        long source = MACS[choice / 7 % MACS.length];
        new EthernetView().wrap(frame, 0, length).destination(MACS[choice / 49 % MACS.length]).source(source)
            .etherType(arp ? EthernetView.TYPE_ARP : EthernetView.TYPE_IPV4);
        if (arp) {
            new ArpView().wrap(frame, EthernetView.HEADER_LENGTH, ArpView.HEADER_LENGTH)
                .write(ArpView.OP_REQUEST, source, 0x0A000009, 0, choice % 8 == 1 ? 0x0A000001 : 0x0A000002);
        } else {
            frame.putBytes(EthernetView.HEADER_LENGTH, payload);
        }
        return frame;
    }

    /** A port (or the uplink) that checks every copy it gets against the VNI of the frame being switched. */
    private static final class Tracker implements LocalPort, Uplink {
        final int id;
        final int vni;
        int frameVni;
        boolean frameFromUplink;
        int violations;

        Tracker(int id, int vni) {
            this.id = id;
            this.vni = vni;
        }

        void expect(int vniOfFrame, boolean fromUplink) {
            frameVni = vniOfFrame;
            frameFromUplink = fromUplink;
        }

        @Override
        public int id() {
            return id;
        }

        @Override
        public void deliver(DirectBuffer frame, int offset, int length) {
            if (frameVni != vni) {
                violations++;
            }
        }

        @Override
        public void send(int sendVni, RemoteVtep to, DirectBuffer frame, int offset, int length) {
            if (frameFromUplink || sendVni != frameVni) {
                violations++;
            }
        }
    }
}
