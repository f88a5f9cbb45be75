package io.meshd.shims;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.meshd.shims.internal.Native;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class TapTest {

    private static final byte[] TAP_MAC = {0x02, 0x6d, 0x65, 0x73, 0x68, 0x01};
    private static final byte[] PEER_MAC = {0x02, 0x6d, 0x65, 0x73, 0x68, 0x02};
    private static final byte[] TAP_IP = {10, (byte) 201, 0, 1};
    private static final byte[] PEER_IP = {10, (byte) 201, 0, 2};

    @BeforeAll
    static void requireShims() {
        TestNamespace.requireShims();
    }

    @Test
    void shouldOpenTapWithKernelChosenNameAndRemoveItOnClose() {
        try (TestNamespace ns = TestNamespace.create()) {
            String name = ns.netns().call(() -> {
                try (Tap tap = Tap.builder().open()) {
                    assertTrue(tap.name().startsWith("tap"), tap.name());
                    assertTrue(tap.fd() >= 0);
                    assertTrue(InterfaceConfig.exists(tap.name()));
                    assertTrue(ns.ip("-o", "link", "show", tap.name()).contains(tap.name()));
                    return tap.name();
                }
            });
            assertFalse(ns.netns().call(() -> InterfaceConfig.exists(name)), "closing the fd removes the TAP");
        }
    }

    @Test
    void shouldKeepAPersistentTapWithItsAddressAfterCloseAndAttachToItAgainByName() throws Exception {
        try (TestNamespace ns = TestNamespace.create()) {
            try (Tap tap = ns.netns().call(() -> Tap.builder().name("pt0").vnetHeader(true)
                .offloads(TapOffloads.CSUM).open())) {
                ns.netns().run(() -> configure(tap.name()));
                tap.persist(true);
            }
            assertTrue(ns.netns().call(() -> InterfaceConfig.exists("pt0")), "a persistent TAP outlives its fd");
            assertTrue(ns.ip("-o", "addr", "show", "dev", "pt0").contains("10.201.0.1/24"), "with its address");
            try (Tap again = ns.netns().call(() -> Tap.builder().name("pt0").vnetHeader(true)
                .offloads(TapOffloads.CSUM).open())) {
                // The carrier comes back at once, the transmit queue when the kernel's link watch runs (async):
                // until then a reply would be dropped. Its operational state says when.
                long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
                while (!ns.ip("-o", "link", "show", "pt0").contains("state UP") && System.nanoTime() < end) {
                    Thread.sleep(10);
                }
                ByteBuffer reply = exchangeArp(again, again.vnetHeaderSize());
                assertArrayEquals(TAP_MAC, ArpFrames.senderMac(reply, again.vnetHeaderSize()),
                    "the same interface, MAC kept, answers through the new fd");
                again.persist(false);
            }
            assertFalse(ns.netns().call(() -> InterfaceConfig.exists("pt0")), "without persistence close removes it");
        }
    }

    @Test
    void shouldExchangeFramesWithTheKernelInBlockingMode() throws Exception {
        try (TestNamespace ns = TestNamespace.create();
             Tap tap = ns.netns().call(() -> Tap.builder().name("mt0").open())) {
            ns.netns().run(() -> configure(tap.name()));
            ByteBuffer reply = exchangeArp(tap, 0);
            assertArrayEquals(TAP_MAC, ArpFrames.senderMac(reply, 0), "the kernel answers with the TAP's MAC");
        }
    }

    @Test
    void shouldExchangeFramesThroughRawAddresses() {
        try (TestNamespace ns = TestNamespace.create();
             Tap tap = ns.netns().call(() -> Tap.builder().name("mt0").nonBlocking(true).open())) {
            ns.netns().run(() -> configure(tap.name()));
            ByteBuffer out = ByteBuffer.allocateDirect(64);
            ArpFrames.request(out, PEER_MAC, PEER_IP, TAP_IP);
            assertEquals(ArpFrames.FRAME_LENGTH, tap.write(Native.address(out), out.position()));
            ByteBuffer in = ByteBuffer.allocateDirect(2048);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (System.nanoTime() < deadline) {
                int n = tap.read(Native.address(in), in.capacity());
                in.limit(n);
                if (ArpFrames.isReply(in, 0, TAP_IP, PEER_MAC)) {
                    return;
                }
                in.clear();
                Thread.onSpinWait();
            }
            throw new AssertionError("no ARP reply through read(address, length)");
        }
    }

    @Test
    void shouldWriteOneFrameGatheredFromPieces() throws Exception {
        try (TestNamespace ns = TestNamespace.create();
             Tap tap = ns.netns().call(() -> Tap.builder().name("mt0").vnetHeader(true).open())) {
            ns.netns().run(() -> configure(tap.name()));
            int header = tap.vnetHeaderSize();
            // The virtio-net header (all zero: no offload), the Ethernet header and the ARP body as three pieces
            // in three separate buffers, as a receive path gathers headers and payloads from where they lie.
            ByteBuffer frame = ByteBuffer.allocateDirect(64);
            ArpFrames.request(frame, PEER_MAC, PEER_IP, TAP_IP);
            ByteBuffer vnet = ByteBuffer.allocateDirect(header);
            ByteBuffer iovecs = ByteBuffer.allocateDirect(3 * 16).order(ByteOrder.nativeOrder());
            iovecs.putLong(Native.address(vnet)).putLong(header);
            iovecs.putLong(Native.address(frame)).putLong(14);
            iovecs.putLong(Native.address(frame) + 14).putLong(ArpFrames.FRAME_LENGTH - 14);
            assertEquals(header + ArpFrames.FRAME_LENGTH, tap.writev(Native.address(iovecs), 3));
            ByteBuffer in = ByteBuffer.allocateDirect(2048);
            ExecutorService reader = Executors.newSingleThreadExecutor();
            try {
                Future<Boolean> replied = reader.submit(() -> {
                    while (true) {
                        in.clear();
                        tap.read(in);
                        in.flip();
                        if (ArpFrames.isReply(in, header, TAP_IP, PEER_MAC)) {
                            return true;
                        }
                    }
                });
                assertTrue(replied.get(5, TimeUnit.SECONDS), "the kernel answered the gathered request");
            } finally {
                reader.shutdownNow();
            }
        }
    }

    @Test
    void shouldReturnZeroFromNonBlockingReadWhenNothingIsQueued() {
        try (TestNamespace ns = TestNamespace.create();
             Tap tap = ns.netns().call(() -> Tap.builder().nonBlocking(true).open())) {
            ByteBuffer in = ByteBuffer.allocateDirect(2048);
            assertEquals(0, tap.read(in), "a down TAP has nothing queued");
            assertEquals(0, in.position());
            assertTrue(tap.nonBlocking());
        }
    }

    @Test
    void shouldPrefixFramesWithVirtioNetHeaderWhenAsked() throws Exception {
        int offloads = TapOffloads.CSUM | TapOffloads.TSO4 | TapOffloads.TSO6;
        try (TestNamespace ns = TestNamespace.create();
             Tap tap = ns.netns().call(() -> Tap.builder().name("mt0").vnetHeader(true).vnetHeaderSize(12)
                 .offloads(offloads).open())) {
            assertEquals(12, tap.vnetHeaderSize());
            ns.netns().run(() -> configure(tap.name()));
            ByteBuffer reply = exchangeArp(tap, 12);
            assertArrayEquals(TAP_MAC, ArpFrames.senderMac(reply, 12));
        }
    }

    @Test
    void shouldKeepWorkingAfterTheInterfaceMovesToAnotherNamespace() throws Exception {
        try (TestNamespace first = TestNamespace.create();
             TestNamespace second = TestNamespace.create();
             Tap tap = first.netns().call(() -> Tap.builder().name("mt0").open())) {
            first.netns().run(() -> InterfaceConfig.moveToNamespace(tap.name(), second.netns()));
            assertFalse(first.netns().call(() -> InterfaceConfig.exists("mt0")));
            second.netns().run(() -> configure(tap.name()));
            ByteBuffer reply = exchangeArp(tap, 0);
            assertArrayEquals(TAP_MAC, ArpFrames.senderMac(reply, 0), "the second namespace's kernel answered");
        }
    }

    @Test
    void shouldNameTheCallAndErrnoWhenTheKernelRefuses() {
        try (TestNamespace ns = TestNamespace.create()) {
            NativeException error = assertThrows(NativeException.class,
                () -> ns.netns().call(() -> Tap.builder().name("lo").open()));
            assertTrue(error.getMessage().startsWith("ioctl(TUNSETIFF) on /dev/net/tun: "), error.getMessage());
            assertTrue(error.getMessage().endsWith("(errno " + error.errno() + ")"), error.getMessage());
            assertTrue(error.errno() > 0);
        }
    }

    @Test
    void shouldRejectOffloadsWithoutVirtioNetHeaderAndLongNames() {
        assertThrows(IllegalStateException.class, () -> Tap.builder().offloads(TapOffloads.CSUM).open());
        assertThrows(IllegalArgumentException.class, () -> Tap.builder().name("a-name-over-15ch"));
    }

    private static void configure(String name) {
        InterfaceConfig.mac(name, TAP_MAC);
        InterfaceConfig.addIpv4(name, ipv4(TAP_IP), 24);
        InterfaceConfig.up(name);
    }

    /** Writes an ARP request for the TAP's address and returns the kernel's reply as read from the TAP. */
    private static ByteBuffer exchangeArp(Tap tap, int header) throws Exception {
        ByteBuffer out = ByteBuffer.allocateDirect(64);
        out.position(header);
        ArpFrames.request(out, PEER_MAC, PEER_IP, TAP_IP);
        out.flip();
        assertEquals(header + ArpFrames.FRAME_LENGTH, tap.write(out));
        assertFalse(out.hasRemaining(), "write advances the position");
        ExecutorService reader = Executors.newSingleThreadExecutor();
        try {
            Future<ByteBuffer> reply = reader.submit(() -> {
                ByteBuffer in = ByteBuffer.allocateDirect(2048);
                while (true) {
                    in.clear();
                    int n = tap.read(in);
                    assertEquals(n, in.position(), "read advances the position");
                    in.flip();
                    if (ArpFrames.isReply(in, header, TAP_IP, PEER_MAC)) {
                        return in;
                    }
                }
            });
            return reply.get(5, TimeUnit.SECONDS);
        } finally {
            reader.shutdownNow();
        }
    }

    private static Inet4Address ipv4(byte[] address) {
        try {
            return (Inet4Address) InetAddress.getByAddress(address);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(e);
        }
    }
}
