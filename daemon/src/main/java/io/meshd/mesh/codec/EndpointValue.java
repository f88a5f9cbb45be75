package io.meshd.mesh.codec;

import java.net.InetAddress;
import java.util.List;

/**
 * The value of an {@code endpoints} entry (node-scoped, key {@code <network>/<endpoint name>}). Encoded as
 * {@code | 1 | IP | MAC (6) | node name | service name (empty if none) | alias count | alias* |}.
 *
 * @param ip the endpoint's address on the network
 * @param mac its MAC (48 bits, unicast, not zero)
 * @param node the node it lives on
 * @param service the service it is a task of, or empty
 * @param aliases more names for it
 */
public record EndpointValue(InetAddress ip, long mac, String node, String service, List<String> aliases) {
    /** The format version this build writes and reads. */
    public static final int VERSION = 1;
    /** The most aliases an endpoint may have. */
    public static final int MAX_ALIASES = 10;

    /** Checks every field. */
    public EndpointValue {
        if (mac <= 0 || mac > 0xffff_ffff_ffffL || (mac >>> 40 & 1) != 0) {
            throw new IllegalArgumentException(String.format("MAC %012x is not a unicast address", mac));
        }
        Names.check(node, "node name");
        if (!service.isEmpty()) {
            Names.check(service, "service name");
        }
        aliases = List.copyOf(aliases);
        if (aliases.size() > MAX_ALIASES) {
            throw new IllegalArgumentException("at most " + MAX_ALIASES + " aliases: " + aliases.size());
        }
        aliases.forEach(a -> Names.check(a, "alias"));
    }

    /** The encoded value. */
    public byte[] encode() {
        ValueWriter w = new ValueWriter(VERSION).ip(ip);
        for (int shift = 40; shift >= 0; shift -= 8) {
            w.u8((int) (mac >>> shift));
        }
        w.string(node).string(service).varint(aliases.size());
        aliases.forEach(w::string);
        return w.bytes();
    }

    /**
     * Decodes a value from the wire.
     *
     * @throws ValueFormatException for anything that does not follow the schema
     */
    public static EndpointValue decode(byte[] value) throws ValueFormatException {
        ValueReader r = new ValueReader(value);
        r.version(VERSION, "endpoints");
        InetAddress ip = r.ip("endpoint IP", false);
        long mac = 0;
        for (int i = 0; i < 6; i++) {
            mac = mac << 8 | r.u8();
        }
        String node = r.string("node name");
        String service = r.string("service name");
        int count = (int) r.varint(MAX_ALIASES, "alias count");
        String[] aliases = new String[count];
        for (int i = 0; i < count; i++) {
            aliases[i] = r.string("alias");
        }
        r.end("endpoints");
        try {
            return new EndpointValue(ip, mac, node, service, List.of(aliases));
        } catch (IllegalArgumentException e) {
            throw new ValueFormatException("endpoints value: " + e.getMessage());
        }
    }
}
