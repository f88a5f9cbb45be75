package io.meshd.mesh.codec;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

/**
 * The value of a {@code networks} entry (cluster-scoped, key: the network's name): its subnet, its VNI and options.
 * Encoded as {@code | 1 | subnet IP | prefix (1) | VNI (varint) | option count (varint) | (name, value)* |}.
 *
 * @param subnet the network address (host bits zero)
 * @param prefixLength the prefix length, within the family's width
 * @param vni the VXLAN network identifier, 1 to 2^24 - 1
 * @param options free-form options (names as {@link Names}, values up to 1 KiB), sorted by name
 */
public record NetworkValue(InetAddress subnet, int prefixLength, int vni, Map<String, String> options) {
    /** The format version this build writes and reads. */
    public static final int VERSION = 1;
    /** The largest VNI (24 bits). */
    public static final int MAX_VNI = (1 << 24) - 1;
    /** The most options a network may carry. */
    public static final int MAX_OPTIONS = 16;

    /** Checks every field; the options are copied and sorted. */
    public NetworkValue {
        int width = subnet instanceof Inet4Address ? 32 : 128;
        if (prefixLength < 1 || prefixLength > width) {
            throw new IllegalArgumentException("prefix length must be 1.." + width + ": " + prefixLength);
        }
        if (!Subnets.isNetworkAddress(subnet, prefixLength)) {
            throw new IllegalArgumentException(subnet.getHostAddress() + "/" + prefixLength
                + " has host bits set");
        }
        if (vni < 1 || vni > MAX_VNI) {
            throw new IllegalArgumentException("VNI must be 1.." + MAX_VNI + ": " + vni);
        }
        if (options.size() > MAX_OPTIONS) {
            throw new IllegalArgumentException("at most " + MAX_OPTIONS + " options: " + options.size());
        }
        Map<String, String> sorted = new TreeMap<>();
        options.forEach((k, v) -> {
            Names.check(k, "option name");
            if (Names.utf8Length(v) > ValueReader.MAX_STRING) {
                throw new IllegalArgumentException("option '" + k + "' is longer than " + ValueReader.MAX_STRING);
            }
            sorted.put(k, v);
        });
        options = Collections.unmodifiableMap(sorted);
    }

    /** The subnet as text, {@code 10.0.9.0/24}. */
    public String cidr() {
        return subnet.getHostAddress() + "/" + prefixLength;
    }

    /** The encoded value. */
    public byte[] encode() {
        ValueWriter w = new ValueWriter(VERSION).ip(subnet).u8(prefixLength).varint(vni).varint(options.size());
        options.forEach((k, v) -> w.string(k).string(v));
        return w.bytes();
    }

    /**
     * Decodes a value from the wire.
     *
     * @throws ValueFormatException for anything that does not follow the schema
     */
    public static NetworkValue decode(byte[] value) throws ValueFormatException {
        ValueReader r = new ValueReader(value);
        r.version(VERSION, "networks");
        InetAddress subnet = r.ip("subnet", false);
        int prefix = r.u8();
        int vni = (int) r.varint(MAX_VNI, "VNI");
        int count = (int) r.varint(MAX_OPTIONS, "option count");
        TreeMap<String, String> options = new TreeMap<>();
        for (int i = 0; i < count; i++) {
            String k = Names.checkDecoded(r.string("option name"), "option name");
            if (!options.isEmpty() && options.lastKey().compareTo(k) >= 0) {
                throw new ValueFormatException("option '" + k + "' out of order or given twice");
            }
            options.put(k, r.string("option value"));
        }
        r.end("networks");
        try {
            return new NetworkValue(subnet, prefix, vni, options);
        } catch (IllegalArgumentException e) {
            throw new ValueFormatException("networks value: " + e.getMessage());
        }
    }
}
