package io.meshd.vxlan.vtep;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.meshd.transport.Transport;
import io.meshd.vxlan.codec.DropCounters;
import io.meshd.vxlan.codec.DropReason;
import io.meshd.vxlan.fabric.RemoteVtep;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * One test body for every transport (a subclass per transport overrides {@link #transport()}, like Netty's
 * {@code EpollDatagramUnicastTest}): two VTEPs on loopback, ephemeral ports only, frames and raw datagrams
 * between them. The Netty leak detector runs at PARANOID, so a buffer the handler forgets fails the run.
 */
abstract class VtepTransportTestBase {

    private static final int VNI = 42;
    private static final Inet4Address LOOPBACK = loopback();

    private final BlockingQueue<Received> received = new LinkedBlockingQueue<>();
    private final DropCounters drops = new DropCounters();
    private UdpVtep a;
    private UdpVtep b;

    /** The transport under test. */
    protected abstract Transport transport();

    @BeforeEach
    void startVteps() {
        a = vtep().start((vni, from, frame, off, len) -> { }, new DropCounters());
        b = vtep().start((vni, from, frame, off, len) -> {
            byte[] copy = new byte[len];
            frame.getBytes(off, copy);
            received.add(new Received(vni, from, copy));
        }, drops);
    }

    private UdpVtep vtep() {
        return UdpVtep.builder().local(LOOPBACK).port(0).ephemeralSourcePorts(4).transport(transport())
            .socketBufferBytes(1 << 20).build();
    }

    @AfterEach
    void closeVteps() {
        a.close();
        b.close();
    }

    @Test
    void shouldUseTheRequestedTransport() {
        assertEquals(transport(), a.transport());
    }

    @Test
    void shouldCarryFramesOfEverySizeBetweenVteps() throws Exception {
        RemoteVtep toB = RemoteVtep.of(ip(LOOPBACK), b.port());
        int[] sizes = {14, 60, 64, 512, 1464, 1514, 9014, 65000};
        for (int size : sizes) {
            byte[] frame = frame(size, 7);
            a.send(VNI, toB, new UnsafeBuffer(frame), 0, size);
            Received r = received.poll(5, TimeUnit.SECONDS);
            assertNotNull(r, "frame of " + size + " bytes did not arrive");
            assertEquals(VNI, r.vni);
            assertArrayEquals(frame, r.frame);
            // Learned peers are keyed by the VXLAN port (in a static overlay every VTEP's is the receiver's own),
            // never by the flow-hashed source port the datagram came from.
            assertEquals(RemoteVtep.of(ip(LOOPBACK), b.port()), r.from);
            assertTrue(!a.boundSourcePorts().contains(r.from.port()));
        }
        assertEquals(sizes.length, a.counters().txDatagrams());
        assertEquals(sizes.length, b.counters().rxDatagrams());
        assertEquals(0, drops.total());
    }

    @Test
    void shouldSendEachFlowFromOneSourcePortOfThePool() throws Exception {
        try (DatagramSocket peer = new DatagramSocket(new InetSocketAddress(LOOPBACK, 0))) {
            peer.setSoTimeout(5000);
            RemoteVtep toPeer = RemoteVtep.of(ip(LOOPBACK), peer.getLocalPort());
            Set<Integer> pool = new HashSet<>(a.boundSourcePorts());
            Set<Integer> used = new HashSet<>();
            for (int flow = 0; flow < 32; flow++) {
                byte[] frame = ipv4UdpFrame(flow);
                int first = -1;
                for (int i = 0; i < 3; i++) {
                    a.send(VNI, toPeer, new UnsafeBuffer(frame), 0, frame.length);
                    DatagramPacket p = new DatagramPacket(new byte[2048], 2048);
                    peer.receive(p);
                    assertEquals(8 + frame.length, p.getLength());
                    assertEquals(0x08, p.getData()[0] & 0xFF, "I flag");
                    assertEquals(VNI, ((p.getData()[4] & 0xFF) << 16) | ((p.getData()[5] & 0xFF) << 8)
                        | (p.getData()[6] & 0xFF));
                    assertTrue(pool.contains(p.getPort()), "source port " + p.getPort() + " not in " + pool);
                    if (first < 0) {
                        first = p.getPort();
                    }
                    assertEquals(first, p.getPort(), "one flow, one source port");
                }
                used.add(first);
            }
            assertTrue(used.size() > 1, "32 flows all hashed to one source port: " + used);
        }
    }

    @Test
    void shouldDropAndCountBadDatagramsWithoutFailing() throws Exception {
        byte[] good = new byte[8 + 60];
        good[0] = 0x08;
        good[6] = VNI;
        System.arraycopy(frame(60, 3), 0, good, 8, 60);
        byte[] wrongFlags = good.clone();
        wrongFlags[0] = 0x00;
        byte[][] bad = {new byte[0], {0x08}, {0x08, 0, 0, 0, 0, 0, 42}, wrongFlags};
        try (DatagramSocket raw = new DatagramSocket(new InetSocketAddress(LOOPBACK, 0))) {
            InetSocketAddress to = new InetSocketAddress(LOOPBACK, b.port());
            for (byte[] datagram : bad) {
                raw.send(new DatagramPacket(datagram, datagram.length, to));
            }
            raw.send(new DatagramPacket(good, good.length, to));
            Received r = received.poll(5, TimeUnit.SECONDS);
            assertNotNull(r, "the good datagram after the bad ones did not arrive");
            assertEquals(VNI, r.vni);
        }
        assertNull(received.poll(200, TimeUnit.MILLISECONDS), "a bad datagram was delivered");
        assertTrue(drops.get(DropReason.TRUNCATED) >= 2, drops.toString());
        assertEquals(1, drops.get(DropReason.BAD_FLAGS), drops.toString());
        assertEquals(0, b.counters().snapshot().get("rx-errors"));
    }

    static byte[] frame(int size, int seed) {
        byte[] f = new byte[size];
        for (int i = 0; i < size; i++) {
            f[i] = (byte) (i * 31 + seed);
        }
        // A unicast source MAC and a real EtherType, so the frame is a valid one for any decoder.
        f[6] = 0x02;
        if (size >= 14) {
            f[12] = 0x08;
            f[13] = 0x00;
        }
        return f;
    }

    /** An Ethernet + IPv4 + UDP frame whose UDP source port is {@code flow}. */
    static byte[] ipv4UdpFrame(int flow) {
        byte[] f = new byte[14 + 20 + 8 + 16];
        f[0] = 0x02;
        f[5] = 0x01;
        f[6] = 0x02;
        f[11] = 0x02;
        f[12] = 0x08;
        f[14] = 0x45;
        f[16] = 0;
        f[17] = (byte) (20 + 8 + 16);
        f[22] = 64;
        f[23] = 17;
        f[26] = 10;
        f[29] = 1;
        f[30] = 10;
        f[33] = 2;
        f[34] = (byte) (flow >> 8);
        f[35] = (byte) (1000 + flow);
        f[37] = 53;
        f[39] = 24;
        return f;
    }

    static int ip(Inet4Address a) {
        return a.hashCode();
    }

    private static Inet4Address loopback() {
        try {
            return (Inet4Address) InetAddress.getByAddress(new byte[] {127, 0, 0, 1});
        } catch (java.net.UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }

    private static final class Received {
        final int vni;
        final RemoteVtep from;
        final byte[] frame;

        Received(int vni, RemoteVtep from, byte[] frame) {
            this.vni = vni;
            this.from = from;
            this.frame = frame;
        }
    }
}
