package io.meshd.vxlan.tap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.Set;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

class FlowQueueTest {

    /** An Ethernet + IPv4 + TCP frame (no payload) from 10.0.0.1:{@code sourcePort} to 10.0.0.2:5201. */
    private static UnsafeBuffer tcpFrame(int sourcePort) {
        UnsafeBuffer b = new UnsafeBuffer(new byte[14 + 20 + 20]);
        b.putByte(12, (byte) 0x08);
        b.putByte(13, (byte) 0x00);
        b.putByte(14, (byte) 0x45);
        b.putByte(14 + 9, (byte) 6);
        b.putBytes(14 + 12, new byte[] {10, 0, 0, 1, 10, 0, 0, 2});
        b.putByte(34, (byte) (sourcePort >>> 8));
        b.putByte(35, (byte) sourcePort);
        b.putByte(36, (byte) (5201 >>> 8));
        b.putByte(37, (byte) 5201);
        return b;
    }

    @Test
    void shouldKeepOneFlowOnOneQueueAndSpreadFlowsOverAll() {
        Set<Integer> used = new HashSet<>();
        for (int port = 40000; port < 40016; port++) {
            int q = FlowQueue.of(tcpFrame(port), 0, 54, 2);
            assertTrue(q == 0 || q == 1, "queue " + q);
            assertEquals(q, FlowQueue.of(tcpFrame(port), 0, 54, 2), "same flow, same queue");
            used.add(q);
        }
        assertEquals(Set.of(0, 1), used);
    }

    @Test
    void shouldPutNonIpv4FramesOnQueueZero() {
        UnsafeBuffer arp = tcpFrame(40000);
        arp.putByte(13, (byte) 0x06);
        assertEquals(0, FlowQueue.of(arp, 0, 54, 4));
        assertEquals(0, FlowQueue.of(tcpFrame(40000), 0, 20, 4), "too short for IPv4");
    }

    @Test
    void shouldUseEveryQueueOfFour() {
        Set<Integer> used = new HashSet<>();
        for (int port = 40000; port < 40064; port++) {
            used.add(FlowQueue.of(tcpFrame(port), 0, 54, 4));
        }
        assertEquals(Set.of(0, 1, 2, 3), used);
    }
}
