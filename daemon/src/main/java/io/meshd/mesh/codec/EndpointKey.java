package io.meshd.mesh.codec;

/**
 * The key of an {@code endpoints} entry, {@code <network>/<endpoint name>}.
 *
 * @param network the network's name
 * @param endpoint the endpoint's name
 */
public record EndpointKey(String network, String endpoint) {
    /** Checks both names. */
    public EndpointKey {
        Names.check(network, "network name");
        Names.check(endpoint, "endpoint name");
    }

    /** The key as written in the table. */
    public String key() {
        return network + "/" + endpoint;
    }

    /**
     * Parses a key from the wire.
     *
     * @throws ValueFormatException unless it is two valid names around one {@code /}
     */
    public static EndpointKey parse(String key) throws ValueFormatException {
        int slash = key.indexOf('/');
        if (slash < 0) {
            throw new ValueFormatException("endpoint key '" + key + "' has no '/'");
        }
        String network = key.substring(0, slash);
        String endpoint = key.substring(slash + 1);
        if (!Names.valid(network) || !Names.valid(endpoint)) {
            throw new ValueFormatException("bad endpoint key '" + key + "'");
        }
        return new EndpointKey(network, endpoint);
    }
}
