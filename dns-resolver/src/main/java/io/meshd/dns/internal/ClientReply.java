package io.meshd.dns.internal;

import io.netty.buffer.ByteBuf;

/** Where the outcome of a forwarded query goes: back to the client over the transport it asked on. */
interface ClientReply {

    /** Sends an upstream's answer, whose ID has already been set back to the client's; takes ownership. */
    void relay(ByteBuf answer);

    /** Answers the client ourselves with {@code rcode} (SERVFAIL when every upstream failed). */
    void fail(int rcode);
}
