package io.meshd.shims;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.meshd.shims.internal.Native;
import java.lang.management.ManagementFactory;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The TAP read/write path is a packet path: after warm-up it must allocate nothing. */
class TapAllocationTest {

    private static final int WARM_UP = 30_000;
    private static final int MEASURED = 20_000;

    @BeforeAll
    static void requireShims() {
        TestNamespace.requireShims();
    }

    @Test
    void shouldReadAndWriteWithoutAllocating() throws Exception {
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        byte[] tapMac = {0x02, 0x6d, 0x65, 0x73, 0x68, 0x11};
        byte[] peerMac = {0x02, 0x6d, 0x65, 0x73, 0x68, 0x12};
        byte[] tapIp = {10, (byte) 204, 0, 1};
        byte[] peerIp = {10, (byte) 204, 0, 2};
        try (TestNamespace ns = TestNamespace.create();
             Tap tap = ns.netns().call(() -> Tap.builder().name("mt0").nonBlocking(true).open())) {
            ns.netns().call(() -> {
                InterfaceConfig.mac("mt0", tapMac);
                InterfaceConfig.addIpv4("mt0", (Inet4Address) InetAddress.getByAddress(tapIp), 24);
                InterfaceConfig.up("mt0");
                return null;
            });
            ByteBuffer out = ByteBuffer.allocateDirect(64);
            ArpFrames.request(out, peerMac, peerIp, tapIp);
            out.flip();
            ByteBuffer in = ByteBuffer.allocateDirect(2048);
            long address = Native.address(in);
            exchange(tap, out, in, address, WARM_UP);
            long before = threads.getThreadAllocatedBytes(Thread.currentThread().getId());
            long frames = exchange(tap, out, in, address, MEASURED);
            long allocated = threads.getThreadAllocatedBytes(Thread.currentThread().getId()) - before;
            assertTrue(frames > 0, "the kernel answered some requests");
            assertTrue(allocated < 1024, allocated + " bytes allocated for " + MEASURED + " writes and "
                + frames + " frames read");
        }
    }

    /** Writes ARP requests and drains the replies; returns the number of frames read. */
    private static long exchange(Tap tap, ByteBuffer out, ByteBuffer in, long address, int count) {
        long frames = 0;
        for (int i = 0; i < count; i++) {
            out.rewind();
            tap.write(out);
            in.clear();
            if (tap.read(in) > 0) {
                frames++;
            }
            if (tap.read(address, in.capacity()) > 0) {
                frames++;
            }
        }
        return frames;
    }
}
