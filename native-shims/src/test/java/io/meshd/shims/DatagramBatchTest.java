package io.meshd.shims;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.meshd.shims.internal.Native;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** One sendmmsg carries datagrams of different sizes, each to its own destination, in order. */
class DatagramBatchTest {

    private static final int SOCK_DGRAM = 2;

    @Test
    void shouldSendEveryDatagramToItsDestinationInOneCall() throws Exception {
        try (DatagramChannel a = DatagramChannel.open(); DatagramChannel b = DatagramChannel.open()) {
            a.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            b.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            int loopback = 0x7f000001;
            ByteBuffer data = ByteBuffer.allocateDirect(4096);
            long base = Native.address(data);
            byte[][] payloads = {bytes(64, 1), bytes(1400, 2), bytes(1, 3)};
            int[] ports = {port(a), port(b), port(a)};
            DatagramBatch batch = new DatagramBatch(4);
            int at = 0;
            for (int i = 0; i < payloads.length; i++) {
                data.put(at, payloads[i]);
                batch.add(base + at, payloads[i].length, loopback, ports[i]);
                at += payloads[i].length + 7; // not contiguous: each datagram is its own message
            }
            assertEquals(3, batch.count());
            assertEquals(1, batch.remaining());
            assertEquals(64 + 1400, batch.bytes(2));
            int fd = Native.libc().socket(2, SOCK_DGRAM, 0);
            assertTrue(fd >= 0);
            try {
                assertEquals(3, batch.send(fd));
            } finally {
                Native.libc().close(fd);
            }
            assertArrayEquals(payloads[0], receive(a));
            assertArrayEquals(payloads[2], receive(a));
            assertArrayEquals(payloads[1], receive(b));
            batch.clear();
            assertEquals(0, batch.count());
            assertEquals(0, batch.send(fd), "an empty batch sends nothing (and makes no call)");
        }
    }

    @Test
    void shouldRefuseMoreThanItsCapacity() {
        DatagramBatch batch = new DatagramBatch(1);
        batch.add(1, 1, 0x7f000001, 9);
        assertThrows(IllegalStateException.class, () -> batch.add(1, 1, 0x7f000001, 9));
        assertThrows(IllegalArgumentException.class, () -> new DatagramBatch(0));
    }

    @Test
    void shouldThrowWhenTheSocketIsBad() {
        DatagramBatch batch = new DatagramBatch(1);
        ByteBuffer data = ByteBuffer.allocateDirect(8);
        batch.add(Native.address(data), 8, 0x7f000001, 9);
        assertThrows(NativeException.class, () -> batch.send(-1));
    }

    private static int port(DatagramChannel c) throws Exception {
        return ((InetSocketAddress) c.getLocalAddress()).getPort();
    }

    private static byte[] receive(DatagramChannel c) throws Exception {
        ByteBuffer in = ByteBuffer.allocate(2048);
        c.receive(in);
        return Arrays.copyOf(in.array(), in.position());
    }

    private static byte[] bytes(int length, int seed) {
        byte[] b = new byte[length];
        for (int i = 0; i < length; i++) {
            b[i] = (byte) (seed * 31 + i);
        }
        return b;
    }
}
