package io.meshd.mesh.codec;

import java.net.InetAddress;

/**
 * The value of a {@code nodes} entry (node-scoped, key: the node's name): where its VTEP receives. Encoded as
 * {@code | 1 | IP | UDP port (2) |}.
 *
 * @param vtep the VTEP's address
 * @param port its UDP port, 1..65535
 */
public record NodeValue(InetAddress vtep, int port) {
    /** The format version this build writes and reads. */
    public static final int VERSION = 1;

    /** Checks the port. */
    public NodeValue {
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("VTEP port must be 1..65535: " + port);
        }
    }

    /** The encoded value. */
    public byte[] encode() {
        return new ValueWriter(VERSION).ip(vtep).u16(port).bytes();
    }

    /**
     * Decodes a value from the wire.
     *
     * @throws ValueFormatException for anything that does not follow the schema
     */
    public static NodeValue decode(byte[] value) throws ValueFormatException {
        ValueReader r = new ValueReader(value);
        r.version(VERSION, "nodes");
        InetAddress ip = r.ip("VTEP address", false);
        int port = r.u16();
        r.end("nodes");
        try {
            return new NodeValue(ip, port);
        } catch (IllegalArgumentException e) {
            throw new ValueFormatException("nodes value: " + e.getMessage());
        }
    }
}
