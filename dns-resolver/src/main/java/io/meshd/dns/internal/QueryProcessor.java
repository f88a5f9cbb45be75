package io.meshd.dns.internal;

import io.meshd.dns.DnsCounters;
import io.meshd.dns.Rcode;
import io.meshd.dns.ResourceRecord;
import io.netty.buffer.ByteBuf;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * The query path of one event-loop thread: {@link QueryDecoder} reads the query, {@link QueryResolver} decides the
 * answer, {@link ResponseEncoder} writes it, and every step is counted. It keeps scratch state between calls (the
 * decoded query, the encoder's compression table), so there is one instance per thread; after warm-up it allocates
 * nothing.
 */
public final class QueryProcessor {

    private static final int TCP_LIMIT = 65535;
    private static final ResourceRecord LOCALHOST_A;
    private static final ResourceRecord LOCALHOST_AAAA;

    static {
        try {
            LOCALHOST_A = ResourceRecord.a((Inet4Address) InetAddress.getByAddress(new byte[] {127, 0, 0, 1}), 0);
            byte[] v6 = new byte[16];
            v6[15] = 1;
            LOCALHOST_AAAA = ResourceRecord.aaaa((Inet6Address) InetAddress.getByAddress(v6), 0);
        } catch (UnknownHostException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final Responder responder;
    private final DnsCounters counters;
    private final DnsCounters.Stripe stripe;
    private final DecodedQuery query = new DecodedQuery();
    private final QueryResolver resolver;
    private final ResponseEncoder encoder;

    /** A processor for one thread. */
    public QueryProcessor(Responder responder) {
        this.responder = responder;
        this.counters = responder.counters;
        this.stripe = counters.stripe();
        this.resolver = new QueryResolver(responder);
        this.encoder = new ResponseEncoder(responder);
    }

    /**
     * Handles one query: decodes it, answers it or says to forward it.
     *
     * @param in the query message, between its reader and writer indexes (not consumed, not released)
     * @param out where the response is appended (for TCP the caller writes the length prefix first)
     * @param tcp whether the query came over TCP (answers up to 65535 bytes, never truncated to the UDP limit)
     * @return what became of the query
     */
    public QueryOutcome handle(ByteBuf in, ByteBuf out, boolean tcp) {
        DecodeResult decoded = QueryDecoder.decode(in, query);
        if (decoded.dropped()) {
            counters.drop(decoded.dropReason());
            return QueryOutcome.DROPPED;
        }
        if (query.hasQuestion()) {
            stripe.query(query.qtype);
        }
        if (decoded.rejected()) {
            encoder.begin(query, in, out, limit(tcp), decoded.rcode(), false, query.hasQuestion());
            finish(decoded.rcode());
            return QueryOutcome.ANSWERED;
        }
        Decision decision = resolver.resolve(query);
        if (decision == Decision.FORWARD) {
            return QueryOutcome.FORWARD;
        }
        encoder.begin(query, in, out, limit(tcp), decision.rcode(), decision.authoritative(), true);
        writeRecords(decision);
        finish(decision.rcode());
        return QueryOutcome.ANSWERED;
    }

    /** The records each decision puts in the answer, authority and additional sections. */
    private void writeRecords(Decision decision) {
        switch (decision) {
            case RECORDS:
                encoder.writeRecords(resolver.node());
                writeTargetAddresses();
                break;
            case NO_DATA:
            case NAME_ERROR:
                if (resolver.zone() != null) {
                    encoder.writeSoaAuthority(resolver.zone());
                }
                break;
            case LOCALHOST:
                if (query.qtype == ResourceRecord.TYPE_A || query.qtype == ResourceRecord.TYPE_ANY) {
                    encoder.writeAnswer(LOCALHOST_A, responder.localTtl);
                } else if (query.qtype == ResourceRecord.TYPE_AAAA) {
                    encoder.writeAnswer(LOCALHOST_AAAA, responder.localTtl);
                }
                break;
            default:
                // The other decisions carry no records.
                break;
        }
    }

    /** The addresses of the SRV targets (RFC 2782) and NS targets (RFC 1035 3.3.11) answered, as additional data. */
    private void writeTargetAddresses() {
        for (int i = 0; i < encoder.answerCount(); i++) {
            ResourceRecord r = encoder.answered(i);
            if (r.type() == ResourceRecord.TYPE_SRV || r.type() == ResourceRecord.TYPE_NS) {
                byte[] target = r.rdataNames()[0];
                encoder.writeAdditionalAddresses(target, resolver.target(target));
            }
        }
    }

    /**
     * Writes our own response with {@code rcode} (and TC if asked) for a query that {@link #handle} earlier
     * decided to forward, e.g. SERVFAIL when forwarding failed or a bare TC answer when an upstream's answer is too
     * large for the client's UDP limit.
     *
     * @throws IllegalArgumentException if {@code in} is not a query the decoder accepts
     */
    public void respond(ByteBuf in, ByteBuf out, boolean tcp, Rcode rcode, boolean tc) {
        if (QueryDecoder.decode(in, query) != DecodeResult.QUERY) {
            throw new IllegalArgumentException("not a query this processor accepted");
        }
        encoder.begin(query, in, out, limit(tcp), rcode, false, true);
        if (tc) {
            encoder.truncate();
        }
        finish(rcode);
    }

    private int limit(boolean tcp) {
        return tcp ? TCP_LIMIT : query.udpLimit(responder.maxUdpPayload);
    }

    private void finish(Rcode rcode) {
        if (encoder.finish(rcode)) {
            stripe.truncated();
        }
        stripe.answer(rcode);
    }

    /** Records the latency of {@code answers} answers into this thread's counters. */
    public void recordLatency(long nanos, int answers) {
        for (int i = 0; i < answers; i++) {
            stripe.latency(nanos);
        }
    }

    /** The UDP payload limit the last decoded query allows for its answer (512 without EDNS). */
    public int udpLimit() {
        return query.udpLimit(responder.maxUdpPayload);
    }
}
