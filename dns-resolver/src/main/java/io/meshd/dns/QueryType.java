package io.meshd.dns;

/**
 * The query types counted one by one; every other type is counted as {@link #OTHER}, so the exported series stay
 * few whatever clients send.
 */
public enum QueryType {
    /** IPv4 address. */
    A(1),
    /** Name server. */
    NS(2),
    /** Canonical name. */
    CNAME(5),
    /** Start of authority. */
    SOA(6),
    /** Reverse pointer. */
    PTR(12),
    /** Mail exchange. */
    MX(15),
    /** Text. */
    TXT(16),
    /** IPv6 address. */
    AAAA(28),
    /** Service location. */
    SRV(33),
    /** Service binding (RFC 9460). */
    SVCB(64),
    /** HTTPS service binding (RFC 9460). */
    HTTPS(65),
    /** Incremental zone transfer. */
    IXFR(251),
    /** Zone transfer. */
    AXFR(252),
    /** Any type. */
    ANY(255),
    /** Every type not listed above. */
    OTHER(-1);

    private static final QueryType[] BY_CODE = byCode();

    private final int code;

    QueryType(int code) {
        this.code = code;
    }

    private static QueryType[] byCode() {
        QueryType[] table = new QueryType[256];
        java.util.Arrays.fill(table, OTHER);
        for (QueryType t : values()) {
            if (t.code >= 0) {
                table[t.code] = t;
            }
        }
        return table;
    }

    /** The constant counting a numeric type (a table lookup: used on the query path). */
    public static QueryType of(int code) {
        return code >= 0 && code < BY_CODE.length ? BY_CODE[code] : OTHER;
    }

    /** The numeric type, or -1 for {@link #OTHER}. */
    public int code() {
        return code;
    }
}
