package io.meshd.dns.internal;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;

/**
 * Frames a DNS message for TCP (RFC 1035 section 4.2.2: a two-byte length, then the message) without copying the
 * message: the length goes into its own two-byte buffer and both become one composite, written with one gather
 * write.
 */
final class TcpFraming {

    private TcpFraming() {
    }

    /**
     * The framed message; takes ownership of {@code message} (released with the result).
     *
     * @param alloc where the length prefix and the composite come from
     * @param message the DNS message, at most 65535 bytes
     */
    static ByteBuf prefixed(ByteBufAllocator alloc, ByteBuf message) {
        ByteBuf length = alloc.directBuffer(2).writeShort(message.readableBytes());
        return alloc.compositeDirectBuffer(2).addComponents(true, length, message);
    }
}
