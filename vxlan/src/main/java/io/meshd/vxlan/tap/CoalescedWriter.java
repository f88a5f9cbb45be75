package io.meshd.vxlan.tap;

/** Where a {@link TcpCoalescer} writes what it built: a TAP port (or a recorder in tests). */
interface CoalescedWriter {

    /**
     * Writes one frame preceded by its virtio-net header from native memory.
     *
     * @param segments how many received frames it holds (1 when nothing was merged)
     */
    void writeCoalesced(long address, int length, int segments);
}
