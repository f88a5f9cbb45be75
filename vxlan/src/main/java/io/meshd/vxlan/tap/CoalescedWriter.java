package io.meshd.vxlan.tap;

import io.meshd.shims.IoVectors;

/** Where a {@link TcpCoalescer} writes what it built: a TAP port (or a recorder in tests). */
interface CoalescedWriter {

    /**
     * Writes one frame gathered from pieces of native memory: the first piece starts with the virtio-net header
     * followed by the frame's headers (at least up to the TCP ports), the rest are payloads where they lie.
     *
     * @param frame the pieces, valid until this method returns
     * @param segments how many received frames it holds (1 when nothing was merged)
     */
    void writeCoalesced(IoVectors frame, int segments);
}
