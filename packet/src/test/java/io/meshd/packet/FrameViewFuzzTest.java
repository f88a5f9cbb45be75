package io.meshd.packet;

import com.code_intelligence.jazzer.junit.FuzzTest;

import java.util.List;

import static io.meshd.packet.ViewFuzzing.guard;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every frame view over arbitrary bytes (the input is the view's window): {@code tryWrap} never throws and wraps
 * exactly when the fixed header fits; a well-formed view's header, payload and window lengths nest; every accessor
 * answers from the window only or refuses with {@link FrameException}; a written checksum verifies. The invariants
 * are in {@link ViewFuzzing}; the seed corpora are captured frames cut at each layer.
 */
class FrameViewFuzzTest {
    @FuzzTest
    void ethernet(byte[] input) {
        ViewFuzzing.check(input, EthernetView::new, view -> {
            assertEquals(view.isWellFormed(), view.etherType() >= EthernetView.MIN_ETHER_TYPE);
            return List.of(view.destination(), view.source(), view.etherType(), view.isVlanTagged());
        });
    }

    @FuzzTest
    void vlan(byte[] input) {
        ViewFuzzing.check(input, VlanView::new, view -> List.of(view.destination(), view.source(), view.tpid(),
            view.priority(), view.dropEligible(), view.vlanId(), view.etherType()));
    }

    @FuzzTest
    void arp(byte[] input) {
        ViewFuzzing.check(input, ArpView::new, view -> List.of(view.operation(), view.senderMac(), view.senderIp(),
            view.targetMac(), view.targetIp()));
    }

    @FuzzTest
    void ipv4(byte[] input) {
        ViewFuzzing.check(input, Ipv4View::new, view -> {
            List<Object> answers = List.of(view.version(), view.tos(), view.totalLength(), view.identification(),
                view.dontFragment(), view.isFragment(), view.fragmentOffset(), view.ttl(), view.protocol(),
                view.checksum(), view.source(), view.destination(), guard(view::hasValidChecksum));
            if (view.isWellFormed()) {
                assertTrue(view.updateChecksum().hasValidChecksum(), "a written header checksum verifies");
            }
            return answers;
        });
    }

    @FuzzTest
    void ipv6(byte[] input) {
        ViewFuzzing.check(input, Ipv6View::new, view -> List.of(view.version(), view.trafficClass(),
            view.flowLabel(), view.payloadLengthField(), view.nextHeader(), view.hopLimit(), view.sourceHigh(),
            view.sourceLow(), view.destinationHigh(), view.destinationLow()));
    }

    @FuzzTest
    void tcp(byte[] input) {
        ViewFuzzing.check(input, TcpView::new, view -> List.of(view.sourcePort(), view.destinationPort(),
            view.sequenceNumber(), view.acknowledgmentNumber(), view.flags(), view.window(), view.checksum(),
            view.urgentPointer()));
    }

    @FuzzTest
    void udp(byte[] input) {
        ViewFuzzing.check(input, UdpView::new, view -> {
            assertEquals(view.isWellFormed(), view.datagramLength() >= UdpView.HEADER_LENGTH
                && view.datagramLength() <= view.length());
            return List.of(view.sourcePort(), view.destinationPort(), view.datagramLength(), view.checksum());
        });
    }

    @FuzzTest
    void icmp(byte[] input) {
        ViewFuzzing.check(input, IcmpView::new, view -> {
            List<Object> answers = icmpAnswers(view, view.isFragmentationNeeded(), view.nextHopMtu(),
                view.hasValidChecksum());
            assertTrue(view.updateChecksum().hasValidChecksum(), "a written checksum verifies");
            return answers;
        });
    }

    @FuzzTest
    void icmpv6(byte[] input) {
        ViewFuzzing.check(input, Icmpv6View::new, view -> {
            long pseudoHeader = input.length * 7L;
            List<Object> answers = icmpAnswers(view, view.isPacketTooBig(), view.mtu(),
                view.hasValidChecksum(pseudoHeader));
            assertTrue(view.updateChecksum(pseudoHeader).hasValidChecksum(pseudoHeader), "written checksum verifies");
            return answers;
        });
    }

    /** The shared ICMP answers; a well-formed error quotes an IP header inside the window. */
    private static List<Object> icmpAnswers(IcmpMessageView view, Object... familyAnswers) {
        Object quotedAt = guard(() -> view.invokingPacketOffset() - view.offset());
        Object quotedLength = guard(view::invokingPacketLength);
        if (view.isError() && view.isWellFormed()) {
            assertEquals(IcmpMessageView.HEADER_LENGTH, quotedAt);
            assertEquals(view.length() - IcmpMessageView.HEADER_LENGTH, quotedLength);
            int minimum = view instanceof IcmpView ? Ipv4View.MIN_HEADER_LENGTH : Ipv6View.HEADER_LENGTH;
            assertTrue((Integer) quotedLength >= minimum, "a whole IP header is quoted");
        } else {
            assertEquals(ViewFuzzing.REFUSED, quotedAt, "only a well-formed error has a quote");
        }
        return List.of(view.type(), view.code(), view.checksum(), view.identifier(), view.sequence(), view.isEcho(),
            view.isError(), quotedAt, quotedLength, List.of(familyAnswers));
    }
}
