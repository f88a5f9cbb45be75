package io.meshd.vxlan.vtep;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.meshd.net.IoTransport;
import io.meshd.vxlan.codec.DropCounters;
import io.meshd.vxlan.codec.DropReason;
import io.meshd.vxlan.fabric.LocalPort;
import io.meshd.vxlan.fabric.RemoteVtep;
import io.meshd.vxlan.fabric.SwitchFabric;
import io.meshd.packet.EthernetView;
import io.meshd.packet.MacAddress;
import io.meshd.vxlan.tap.ReadBurst;
import io.meshd.vxlan.testing.Allocations;
import io.meshd.vxlan.testing.Await;
import io.meshd.vxlan.testing.FakeSuperFrame;
import io.meshd.vxlan.testing.SocketQueues;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * One test body for every transport (a subclass per transport overrides {@link #transport()}, like Netty's
 * {@code EpollDatagramUnicastTest}): two VTEPs on loopback, ephemeral ports only, frames and raw datagrams
 * between them. The receiving VTEP is wired to a switch as in production ({@code SwitchFabric::fromVxlan}) with one
 * port that records what it is given. The Netty leak detector runs at PARANOID, so a buffer the handler forgets
 * fails the run.
 */
abstract class VtepTransportTestBase {

    private static final int VNI = 42;
    /** The largest inner frame the receiving switch takes: the largest the size test sends. */
    private static final int MAX_FRAME = 65000;
    private static final Inet4Address LOOPBACK = loopback();

    private final BlockingQueue<byte[]> received = new LinkedBlockingQueue<>();
    private final SwitchFabric fabric = SwitchFabric.builder().maxFrameLength(MAX_FRAME).build();
    private final DropCounters drops = fabric.counters();
    private UdpVtep a;
    private UdpVtep b;

    /** The transport under test. */
    protected abstract IoTransport transport();

    /** The most datagrams one receive burst takes on this transport. */
    protected int datagramsPerBurst() {
        return TransportSupport.READS_PER_BURST;
    }

    @BeforeEach
    void startVteps() {
        fabric.addNetwork(VNI);
        fabric.attach(VNI, new LocalPort() {
            @Override
            public int id() {
                return 1;
            }

            @Override
            public void deliver(DirectBuffer frame, int offset, int length) {
                byte[] copy = new byte[length];
                frame.getBytes(offset, copy);
                received.add(copy);
            }
        }, MacAddress.parse("02:00:00:00:00:01"));
        a = vtep().start((from, payload, off, len) -> { });
        b = vtep().start(fabric::fromVxlan);
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
            byte[] r = received.poll(5, TimeUnit.SECONDS);
            assertNotNull(r, "frame of " + size + " bytes did not arrive");
            assertArrayEquals(frame, r);
            // Learned peers are keyed by the VXLAN port (in a static overlay every VTEP's is the receiver's own),
            // never by the flow-hashed source port the datagram came from.
            RemoteVtep from = fabric.forwardingTable()
                .find(VNI, MacAddress.read(new UnsafeBuffer(frame), EthernetView.SOURCE_OFFSET)).orElseThrow()
                .remoteVtep().orElseThrow();
            assertEquals(RemoteVtep.of(ip(LOOPBACK), b.port()), from);
            assertTrue(!a.boundSourcePorts().contains(from.port()));
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
    void shouldSendTheSegmentsOfASuperFrameInOrderFromNativeMemory() throws Exception {
        assertSegmentsArrive(true);
    }

    @Test
    void shouldSendTheSegmentsOfASuperFrameInOrderFromHeapMemory() throws Exception {
        assertSegmentsArrive(false);
    }

    /**
     * 20 full-size segments and a short last one, sent as one burst: each arrives whole and in order, whether the
     * payload is gathered from where it lies (native memory, epoll and io_uring) or copied (heap, or NIO).
     */
    private void assertSegmentsArrive(boolean direct) throws Exception {
        RemoteVtep toB = RemoteVtep.of(ip(LOOPBACK), b.port());
        FakeSuperFrame superFrame = new FakeSuperFrame(frame(54, 9), 1410, 20 * 1410 + 333, direct);
        a.begin();
        a.sendSegments(VNI, toB, superFrame, new UnsafeBuffer(new byte[65536]));
        a.end();
        for (int i = 0; i < superFrame.segments(); i++) {
            byte[] r = received.poll(5, TimeUnit.SECONDS);
            assertNotNull(r, "segment " + i + " did not arrive");
            assertArrayEquals(superFrame.expected(i), r, "segment " + i);
        }
        assertNull(received.poll(100, TimeUnit.MILLISECONDS), "more datagrams than segments");
        assertEquals(21, a.counters().txDatagrams());
        if (transport() != IoTransport.NIO) {
            assertTrue(a.counters().snapshot().get("tx-gso-sends") >= 1, a.counters().toString());
        }
        assertEquals(0, drops.total());
    }

    /**
     * The short frames of one flow sent in one burst (what one poll of a TAP switches): each arrives whole and in
     * order; on epoll and io_uring all of them went out with one {@code sendmmsg}, on NIO one by one.
     */
    @Test
    void shouldSendTheShortFramesOfABurstInOrderInOneBatch() throws Exception {
        RemoteVtep toB = RemoteVtep.of(ip(LOOPBACK), b.port());
        int frames = 40;
        List<byte[]> sent = new ArrayList<>();
        a.begin();
        for (int i = 0; i < frames; i++) {
            byte[] frame = ipv4UdpFrame(7);
            frame[frame.length - 1] = (byte) i; // a sequence number in the payload
            sent.add(frame);
            a.send(VNI, toB, new UnsafeBuffer(frame), 0, frame.length);
        }
        assertTrue(transport() == IoTransport.NIO || a.pending(), "held back until the burst ends");
        a.end();
        assertFalse(a.pending());
        for (int i = 0; i < frames; i++) {
            byte[] r = received.poll(5, TimeUnit.SECONDS);
            assertNotNull(r, "frame " + i + " did not arrive");
            assertArrayEquals(sent.get(i), r, "frame " + i + " in order");
        }
        assertEquals(frames, a.counters().txDatagrams());
        assertEquals(transport() == IoTransport.NIO ? 0 : 1, a.counters().snapshot().get("tx-batch-sends"),
            a.counters().toString());
        assertEquals(0, drops.total());
    }

    /**
     * Bursts of short frames (sent as {@code sendmmsg} batches on epoll and io_uring) allocate nothing once warm. The
     * receiver's queue may fill: a full socket buffer drops and counts, and allocates nothing either.
     */
    @Test
    void shouldSendBurstsOfShortFramesWithoutAllocating() throws Exception {
        try (DatagramSocket peer = new DatagramSocket(new InetSocketAddress(LOOPBACK, 0))) {
            RemoteVtep toPeer = RemoteVtep.of(ip(LOOPBACK), peer.getLocalPort());
            UnsafeBuffer frame = new UnsafeBuffer(ByteBuffer.allocateDirect(64));
            frame.putBytes(0, ipv4UdpFrame(3));
            int frames = 64;
            Runnable bursts = () -> {
                for (int burst = 0; burst < 50; burst++) {
                    a.begin();
                    for (int i = 0; i < frames; i++) {
                        a.send(VNI, toPeer, frame, 0, 58);
                    }
                    a.end();
                }
            };
            for (int i = 0; i < 100; i++) {
                bursts.run();
            }
            Allocations.assertAllocatesNothing(bursts, 50L * frames);
        }
    }

    /**
     * Datagrams queued while the event loop was busy are read in one burst (so the TAP coalescer can merge them),
     * up to the reads a burst allows; the rest follow in the next one. The receiver holds the event loop on the
     * first datagram while the others queue up in the socket.
     */
    @Test
    void shouldReadQueuedDatagramsInBurstsOfUpToTheReadsABurstAllows() throws Exception {
        CountDownLatch firstArrived = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        List<Integer> bursts = new CopyOnWriteArrayList<>();
        int[] current = new int[1];
        ReadBurst recording = new ReadBurst() {
            @Override
            public void begin() {
                current[0] = 0;
            }

            @Override
            public void end() {
                bursts.add(current[0]);
            }
        };
        UdpVtep c = vtep().start((from, payload, off, len) -> {
            current[0]++;
            firstArrived.countDown();
            try {
                release.await(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, recording);
        int queued = TransportSupport.READS_PER_BURST + 3;
        try (DatagramSocket raw = new DatagramSocket(new InetSocketAddress(LOOPBACK, 0))) {
            InetSocketAddress to = new InetSocketAddress(LOOPBACK, c.port());
            byte[] datagram = vxlan(VNI, frame(60, 3));
            raw.send(new DatagramPacket(datagram, datagram.length, to));
            assertTrue(firstArrived.await(5, TimeUnit.SECONDS), "first datagram");
            for (int i = 0; i < queued; i++) {
                raw.send(new DatagramPacket(datagram, datagram.length, to));
            }
            // Every queued datagram waits in the socket before the blocked read loop goes on, so that one burst can
            // read as many as a burst allows.
            long queuedBytes = (long) queued * datagram.length;
            assertTrue(Await.until(() -> SocketQueues.receiveQueueBytes(c.port()) >= queuedBytes,
                Duration.ofSeconds(5)), "datagrams queued in the socket");
            release.countDown();
            Await.until(() -> c.counters().rxDatagrams() >= 1 + queued, Duration.ofSeconds(5));
        } finally {
            c.close();
        }
        assertEquals(1 + queued, c.counters().rxDatagrams());
        assertEquals(1 + queued, bursts.stream().mapToInt(Integer::intValue).sum(), "bursts " + bursts);
        assertEquals(datagramsPerBurst(), bursts.stream().mapToInt(Integer::intValue).max().orElse(0),
            "the fullest burst reads as many datagrams as a burst allows: " + bursts);
    }

    @Test
    void shouldDropAndCountEachBadDatagramExactlyOnceWithoutFailing() throws Exception {
        byte[] good = vxlan(VNI, frame(60, 3));
        byte[] wrongFlags = good.clone();
        wrongFlags[0] = 0x00;
        byte[][] bad = {new byte[0], {0x08}, {0x08, 0, 0, 0, 0, 0, 42}, wrongFlags, vxlan(VNI + 1, frame(60, 3)),
            vxlan(VNI, frame(MAX_FRAME + 1, 3))};
        try (DatagramSocket raw = new DatagramSocket(new InetSocketAddress(LOOPBACK, 0))) {
            InetSocketAddress to = new InetSocketAddress(LOOPBACK, b.port());
            for (byte[] datagram : bad) {
                raw.send(new DatagramPacket(datagram, datagram.length, to));
            }
            raw.send(new DatagramPacket(good, good.length, to));
            byte[] r = received.poll(5, TimeUnit.SECONDS);
            assertNotNull(r, "the good datagram after the bad ones did not arrive");
            assertArrayEquals(frame(60, 3), r);
        }
        assertNull(received.poll(200, TimeUnit.MILLISECONDS), "a bad datagram was delivered");
        // Exactly once: every datagram the VTEP took in was either the good one or exactly one drop. The empty
        // datagram is the one truncated drop a transport may not report at all (it may read it as no data).
        long taken = b.counters().rxDatagrams();
        assertEquals(taken, 1 + drops.total(), drops.toString());
        assertEquals(taken == bad.length + 1 ? 3 : 2, drops.get(DropReason.TRUNCATED), drops.toString());
        assertTrue(taken >= bad.length, "datagrams taken in: " + taken);
        assertEquals(1, drops.get(DropReason.BAD_FLAGS), drops.toString());
        assertEquals(1, drops.get(DropReason.UNKNOWN_VNI), drops.toString());
        assertEquals(1, drops.get(DropReason.OVERSIZED), drops.toString());
        assertEquals(0, b.counters().snapshot().get("rx-errors"));
    }

    /** A VXLAN payload: the header (I flag, {@code vni}) and {@code frame}. */
    private static byte[] vxlan(int vni, byte[] frame) {
        byte[] datagram = new byte[8 + frame.length];
        datagram[0] = 0x08;
        datagram[4] = (byte) (vni >> 16);
        datagram[5] = (byte) (vni >> 8);
        datagram[6] = (byte) vni;
        System.arraycopy(frame, 0, datagram, 8, frame.length);
        return datagram;
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
}
