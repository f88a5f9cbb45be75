package io.meshd.lb;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.meshd.packet.Checksums;
import io.meshd.packet.EthernetView;
import io.meshd.packet.IcmpView;
import io.meshd.packet.Ipv4;
import io.meshd.packet.Ipv4View;
import io.meshd.packet.TcpView;
import io.meshd.packet.testing.TestFrames;
import java.util.List;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

/** ICMP errors about translated flows reach the right end with a quote it recognises (as a kernel NAT does). */
class VipNatIcmpTest {
    private static final int IP = EthernetView.HEADER_LENGTH;
    private static final int CLIENT = Ipv4.parse("10.0.9.2");
    private static final int VIP = Ipv4.parse("10.0.9.100");
    private static final int BACKEND = Ipv4.parse("10.0.9.5");
    private static final int ROUTER = Ipv4.parse("10.0.9.254");
    private static final int QUOTE = Ipv4View.MIN_HEADER_LENGTH + 8;

    private final ServiceTable table = ServiceTable.withTableSize(MaglevTable.DEFAULT_SIZE);
    private final VipNat nat = new VipNat(table, FlowPinTable.withDefaults(), () -> 0L);

    VipNatIcmpTest() {
        table.put(ServiceKey.parse("10.0.9.100:80/tcp"), List.of(ServiceBackend.parse("10.0.9.5:8080")));
    }

    /** An ICMP error from {@code source} to {@code destination} quoting the first bytes of {@code packet}. */
    private static UnsafeBuffer error(int source, int destination, int type, int code, UnsafeBuffer packet,
                                      int quoted) {
        int ipLength = Ipv4View.MIN_HEADER_LENGTH + IcmpView.HEADER_LENGTH + quoted;
        UnsafeBuffer frame = TestFrames.ethernet(1, 2, EthernetView.TYPE_IPV4, ipLength);
        new Ipv4View().wrap(frame, IP, ipLength).headerLength(Ipv4View.MIN_HEADER_LENGTH).tos(0)
            .totalLength(ipLength).identification(9).unfragmented(false).ttl(64).protocol(Ipv4View.PROTOCOL_ICMP)
            .source(source).destination(destination).updateChecksum();
        int icmpAt = IP + Ipv4View.MIN_HEADER_LENGTH;
        frame.putBytes(icmpAt + IcmpView.HEADER_LENGTH, packet, IP, quoted);
        new IcmpView().wrap(frame, icmpAt, ipLength - Ipv4View.MIN_HEADER_LENGTH).typeAndCode(type, code)
            .echo(0, 1400).updateChecksum();
        return frame;
    }

    private static boolean checksumsValid(UnsafeBuffer frame) {
        Ipv4View outer = new Ipv4View().wrap(frame, IP, frame.capacity() - IP);
        IcmpView icmp = new IcmpView().wrap(frame, outer.payloadOffset(), outer.payloadLength());
        Ipv4View quote = new Ipv4View().wrap(frame, icmp.invokingPacketOffset(), icmp.invokingPacketLength());
        return outer.hasValidChecksum() && icmp.hasValidChecksum()
            && Checksums.checksum(frame, quote.offset(), quote.headerLength()) == 0;
    }

    private static Ipv4View quoteOf(UnsafeBuffer frame) {
        IcmpView icmp = new IcmpView().wrap(frame, IP + 20, frame.capacity() - IP - 20);
        return new Ipv4View().wrap(frame, icmp.invokingPacketOffset(), icmp.invokingPacketLength());
    }

    private static int quotedPort(UnsafeBuffer frame, int at) {
        Ipv4View quote = quoteOf(frame);
        return frame.getShort(quote.payloadOffset() + at, java.nio.ByteOrder.BIG_ENDIAN) & 0xFFFF;
    }

    @Test
    void shouldShowTheClientTheVipInAFragmentationNeededFromTheBackend() {
        UnsafeBuffer sent = VipNatTest.tcp(CLIENT, BACKEND, 40_000, 8080, 1400);
        UnsafeBuffer error = error(BACKEND, CLIENT, IcmpView.TYPE_DESTINATION_UNREACHABLE,
            IcmpView.CODE_FRAGMENTATION_NEEDED, sent, QUOTE);

        assertEquals(NatVerdict.TRANSLATED, nat.toClient(error, IP, error.capacity() - IP));

        Ipv4View outer = new Ipv4View().wrap(error, IP, error.capacity() - IP);
        assertEquals(VIP, outer.source(), "the backend itself sent it: it comes from the VIP");
        assertEquals(VIP, quoteOf(error).destination());
        assertEquals(80, quotedPort(error, TcpView.DESTINATION_PORT_OFFSET));
        assertEquals(40_000, quotedPort(error, TcpView.SOURCE_PORT_OFFSET));
        assertEquals(1400, new IcmpView().wrap(error, IP + 20, error.capacity() - IP - 20).nextHopMtu());
        assertTrue(checksumsValid(error));
    }

    @Test
    void shouldKeepARoutersAddressButFixTheQuoteAndItsTransportChecksum() {
        UnsafeBuffer sent = VipNatTest.tcp(CLIENT, BACKEND, 40_000, 8080, 0);
        UnsafeBuffer error = error(ROUTER, CLIENT, IcmpView.TYPE_TIME_EXCEEDED, 0, sent, sent.capacity() - IP);

        assertEquals(NatVerdict.TRANSLATED, nat.toClient(error, IP, error.capacity() - IP));

        assertEquals(ROUTER, new Ipv4View().wrap(error, IP, error.capacity() - IP).source());
        // The whole segment is quoted: it must now be exactly what the client sent to the VIP.
        UnsafeBuffer original = VipNatTest.tcp(CLIENT, VIP, 40_000, 80, 0);
        Ipv4View quote = quoteOf(error);
        for (int i = 0; i < original.capacity() - IP; i++) {
            assertEquals(original.getByte(IP + i), error.getByte(quote.offset() + i), "quoted byte " + i);
        }
        assertTrue(checksumsValid(error));
    }

    @Test
    void shouldSendTheClientsErrorAboutAReplyToTheBackendThatSentIt() {
        UnsafeBuffer reply = VipNatTest.tcp(VIP, CLIENT, 80, 40_000, 0);
        UnsafeBuffer error = error(CLIENT, VIP, IcmpView.TYPE_DESTINATION_UNREACHABLE,
            IcmpView.CODE_FRAGMENTATION_NEEDED, reply, QUOTE);

        assertEquals(NatVerdict.TRANSLATED, nat.toBackend(error, IP, error.capacity() - IP));

        assertEquals(BACKEND, nat.lastAddress());
        assertEquals(BACKEND, new Ipv4View().wrap(error, IP, error.capacity() - IP).destination());
        assertEquals(BACKEND, quoteOf(error).source());
        assertEquals(8080, quotedPort(error, TcpView.SOURCE_PORT_OFFSET));
        assertTrue(checksumsValid(error));
    }

    @Test
    void shouldLeaveErrorsItCannotReadAndDropThoseAddressedToAVip() {
        UnsafeBuffer sent = VipNatTest.tcp(CLIENT, BACKEND, 40_000, 8080, 0);
        UnsafeBuffer short4 = error(BACKEND, CLIENT, IcmpView.TYPE_DESTINATION_UNREACHABLE, 3, sent, 24);
        UnsafeBuffer reply = VipNatTest.tcp(VIP, CLIENT, 80, 40_000, 0);
        UnsafeBuffer toVip = error(CLIENT, VIP, IcmpView.TYPE_DESTINATION_UNREACHABLE, 3, reply, 24);
        UnsafeBuffer unrelated = error(BACKEND, CLIENT, IcmpView.TYPE_DESTINATION_UNREACHABLE, 3,
            VipNatTest.tcp(CLIENT, BACKEND, 40_000, 9999, 0), QUOTE);

        assertEquals(NatVerdict.PASS, nat.toClient(short4, IP, short4.capacity() - IP), "ports not quoted");
        assertEquals(NatVerdict.MALFORMED, nat.toBackend(toVip, IP, toVip.capacity() - IP), "ports not quoted");
        assertEquals(NatVerdict.PASS, nat.toClient(unrelated, IP, unrelated.capacity() - IP), "no service's flow");
    }
}
