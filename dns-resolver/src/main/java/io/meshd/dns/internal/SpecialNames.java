package io.meshd.dns.internal;

import java.util.ArrayList;
import java.util.List;

/**
 * Names answered locally and never forwarded: {@code localhost} and everything below it (RFC 6761 section 6.3),
 * and the zones the responder serves itself: {@code invalid} (RFC 6761 section 6.4), {@code local} (multicast DNS
 * names, RFC 6762 section 22.1: a unicast server answers them NXDOMAIN at once and never looks them up) and the
 * reverse zones of private, loopback and link-local ranges (RFC 6303), which the public DNS cannot answer and which
 * would only leak the querier's addresses upstream.
 */
final class SpecialNames {

    /** The locally served zones, dotted; {@link Responder} builds a {@link LocalZone} for each, in this order. */
    static final List<String> ZONES = zones();

    private static final byte[] LOCALHOST_NAME = WireNames.toWire("localhost");
    private static final byte[][] ZONE_NAMES = wire(ZONES);
    private static final byte[] IN_ADDR_ARPA = WireNames.toWire("in-addr.arpa");
    private static final byte[] IP6_ARPA = WireNames.toWire("ip6.arpa");

    private SpecialNames() {
    }

    private static List<String> zones() {
        List<String> zones = new ArrayList<>(List.of("invalid", "local",
            "10.in-addr.arpa", "127.in-addr.arpa", "254.169.in-addr.arpa", "168.192.in-addr.arpa",
            "0.in-addr.arpa", "d.f.ip6.arpa", "8.e.f.ip6.arpa", "9.e.f.ip6.arpa", "a.e.f.ip6.arpa",
            "b.e.f.ip6.arpa", "1.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.ip6.arpa"));
        for (int i = 16; i <= 31; i++) {
            zones.add(i + ".172.in-addr.arpa");
        }
        return List.copyOf(zones);
    }

    private static byte[][] wire(List<String> names) {
        byte[][] wire = new byte[names.size()][];
        for (int i = 0; i < wire.length; i++) {
            wire[i] = WireNames.toWire(names.get(i));
        }
        return wire;
    }

    /** Whether a lower-case wire name is {@code localhost} or below it. */
    static boolean isLocalhost(byte[] name, int length) {
        return WireNames.isAtOrBelow(name, length, LOCALHOST_NAME);
    }

    /** The index in {@link #ZONES} of the locally served zone a lower-case wire name is in, or -1. */
    static int zoneIndex(byte[] name, int length) {
        for (int i = 0; i < ZONE_NAMES.length; i++) {
            if (WireNames.isAtOrBelow(name, length, ZONE_NAMES[i])) {
                return i;
            }
        }
        return -1;
    }

    /** Whether a lower-case wire name is strictly below {@code in-addr.arpa} or {@code ip6.arpa}. */
    static boolean isBelowReverseRoot(byte[] name, int length) {
        return length > IN_ADDR_ARPA.length && WireNames.isAtOrBelow(name, length, IN_ADDR_ARPA)
            || length > IP6_ARPA.length && WireNames.isAtOrBelow(name, length, IP6_ARPA);
    }
}
