package io.meshd.vxlan.vtep;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.meshd.vxlan.fabric.FuzzedFabric;
import io.meshd.vxlan.tap.ReadBurst;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.channel.socket.DatagramPacket;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The receive path from Netty's datagrams to the switch: a read loop's worth of arbitrary UDP payloads, in pooled
 * direct buffers (the zero-copy view) or heap buffers (the copy), through {@link VxlanDatagramHandler} into a
 * {@link FuzzedFabric}. Nothing escapes the pipeline, the channel stays open, every buffer is released once its
 * burst ends (reference count 0; the suite also runs Netty's leak detector at paranoid), every datagram is counted
 * once by the VTEP and once by the switch with exactly one fate, and the burst is begun and ended once.
 */
class VxlanDatagramHandlerFuzzTest {
    private static final InetSocketAddress LOCAL = new InetSocketAddress("127.0.0.1", 4789);
    private static final InetSocketAddress PEER;

    static {
        try {
            int address = FuzzedFabric.PEER_A.address();
            PEER = new InetSocketAddress(InetAddress.getByAddress(new byte[] {(byte) (address >>> 24),
                (byte) (address >>> 16), (byte) (address >>> 8), (byte) address}), 40000);
        } catch (UnknownHostException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** Byte 0: bits 0-1 how many datagrams (1-4) the rest is cut into, bit 2 heap buffers instead of direct. */
    @FuzzTest
    void datagrams(byte[] input) {
        if (input.length == 0) {
            return;
        }
        int count = 1 + (input[0] & 0x03);
        ByteBufAllocator allocator = (input[0] & 0x04) != 0 ? UnpooledByteBufAllocator.DEFAULT
            : PooledByteBufAllocator.DEFAULT;
        boolean heap = (input[0] & 0x04) != 0;
        FuzzedFabric fuzzed = new FuzzedFabric();
        int[] bursts = new int[2];
        ReadBurst burst = new ReadBurst() {
            @Override
            public void begin() {
                bursts[0]++;
            }

            @Override
            public void end() {
                bursts[1]++;
            }
        };
        VtepCounters counters = new VtepCounters();
        // Each datagram's fate is checked as it is switched (one flooded and one forwarded cannot be told apart
        // from the totals); a failure is kept and thrown here, not inside the handler, which would count it.
        List<AssertionError> failures = new ArrayList<>();
        EmbeddedChannel channel = new EmbeddedChannel(new VxlanDatagramHandler((from, payload, offset, length) -> {
            FuzzedFabric.Counts one = fuzzed.begin();
            fuzzed.fabric().fromVxlan(from, payload, offset, length);
            try {
                fuzzed.assertFates(one, fuzzed.counts(), 1);
                assertFalse(fuzzed.copies().stream().anyMatch(FuzzedFabric.Copy::toUplink), "split horizon");
            } catch (AssertionError e) {
                failures.add(e);
            }
        }, () -> FuzzedFabric.PEER_A.port(), counters, burst));
        FuzzedFabric.Counts before = fuzzed.begin();
        List<ByteBuf> buffers = new ArrayList<>();
        int rest = input.length - 1;
        for (int i = 0; i < count; i++) {
            int from = 1 + rest * i / count;
            int to = 1 + rest * (i + 1) / count;
            ByteBuf buffer = heap ? allocator.heapBuffer(to - from) : allocator.directBuffer(to - from);
            buffer.writeBytes(input, from, to - from);
            buffers.add(buffer);
            channel.pipeline().fireChannelRead(new DatagramPacket(buffer, LOCAL, PEER));
        }
        channel.pipeline().fireChannelReadComplete();

        for (ByteBuf buffer : buffers) {
            assertEquals(0, buffer.refCnt(), "released after the burst");
        }
        assertEquals(count, counters.rxDatagrams(), "every datagram counted by the VTEP");
        assertEquals(1, bursts[0], "one burst begun");
        assertEquals(1, bursts[1], "and ended");
        if (!failures.isEmpty()) {
            throw failures.get(0);
        }
        FuzzedFabric.Counts after = fuzzed.counts();
        assertEquals(count, after.fromUplink() - before.fromUplink(), "every datagram counted by the switch");
        assertEquals(0L, counters.snapshot().get("rx-errors"), "nothing unexpected");
        assertNull(channel.readInbound(), "nothing passed down the pipeline");
        channel.checkException();
        assertTrue(channel.isOpen());
        channel.finishAndReleaseAll();
    }
}
