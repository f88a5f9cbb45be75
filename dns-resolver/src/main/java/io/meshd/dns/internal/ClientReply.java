package io.meshd.dns.internal;

import io.meshd.dns.Rcode;
import io.netty.buffer.ByteBuf;

/** Where the outcome of a forwarded query goes: back to the client over the transport it asked on. */
interface ClientReply {

    /**
     * Sends an upstream's answer, whose ID has already been set back to the client's; takes ownership of it.
     *
     * @param query the client's query with the client's ID, to answer ourselves (TC) when the answer does not fit
     *              the client's UDP limit; read during the call only, never retained
     */
    void relay(ByteBuf answer, ByteBuf query);

    /**
     * Answers the client ourselves with {@code rcode} (SERVFAIL when every upstream failed).
     *
     * @param query the client's query with the client's ID; read during the call only, never retained
     */
    void fail(Rcode rcode, ByteBuf query);
}
