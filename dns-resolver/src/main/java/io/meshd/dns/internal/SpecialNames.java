package io.meshd.dns.internal;

import java.util.ArrayList;
import java.util.List;

/**
 * Names answered locally and never forwarded (RFC 6761, RFC 6303): {@code localhost} and everything below it,
 * {@code invalid}, and the reverse zones of private, loopback and link-local ranges, which the public DNS cannot
 * answer and which would only leak the querier's addresses upstream.
 */
final class SpecialNames {

    /** Not special: forward it. */
    static final int NONE = 0;
    /** {@code localhost} or below: A 127.0.0.1, AAAA ::1. */
    static final int LOCALHOST = 1;
    /** A name that does not exist anywhere: NXDOMAIN. */
    static final int NONEXISTENT = 2;
    /** The apex of a locally served reverse zone: exists, no records. */
    static final int EMPTY_ZONE_APEX = 3;

    private static final byte[] LOCALHOST_NAME = WireNames.toWire("localhost");
    private static final byte[] INVALID_NAME = WireNames.toWire("invalid");
    private static final byte[][] REVERSE_ZONES = reverseZones();

    private SpecialNames() {
    }

    private static byte[][] reverseZones() {
        List<String> zones = new ArrayList<>(List.of(
            "10.in-addr.arpa", "127.in-addr.arpa", "254.169.in-addr.arpa", "168.192.in-addr.arpa",
            "0.in-addr.arpa", "d.f.ip6.arpa", "8.e.f.ip6.arpa", "9.e.f.ip6.arpa", "a.e.f.ip6.arpa",
            "b.e.f.ip6.arpa", "1.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.ip6.arpa"));
        for (int i = 16; i <= 31; i++) {
            zones.add(i + ".172.in-addr.arpa");
        }
        byte[][] wire = new byte[zones.size()][];
        for (int i = 0; i < wire.length; i++) {
            wire[i] = WireNames.toWire(zones.get(i));
        }
        return wire;
    }

    /** Classifies a lower-case wire name. */
    static int classify(byte[] name, int length) {
        if (WireNames.isAtOrBelow(name, length, LOCALHOST_NAME)) {
            return LOCALHOST;
        }
        if (WireNames.isAtOrBelow(name, length, INVALID_NAME)) {
            return NONEXISTENT;
        }
        for (byte[] zone : REVERSE_ZONES) {
            if (WireNames.isAtOrBelow(name, length, zone)) {
                return zone.length == length ? EMPTY_ZONE_APEX : NONEXISTENT;
            }
        }
        return NONE;
    }
}
