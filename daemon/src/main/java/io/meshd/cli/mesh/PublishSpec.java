package io.meshd.cli.mesh;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.meshd.lb.Protocol;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * A service's published port as {@code --publish} takes it: {@code PUBLISHED:TARGET[/tcp|udp]}, e.g.
 * {@code 8080:80/tcp}: clients reach {@code PUBLISHED} on the service's VIP, backends answer on {@code TARGET}; the
 * protocol defaults to TCP (parsed by {@link Protocol#parse}). The API's port has no address: a docker-style
 * {@code ADDR:PUBLISHED:TARGET} is refused with a message saying so. ({@code meshd vtep --publish} takes another
 * syntax, with backends, parsed by {@code RoutingMesh.parsePublished}.)
 *
 * @param published 1..65535
 * @param target 1..65535
 * @param protocol TCP or UDP
 */
record PublishSpec(int published, int target, Protocol protocol) {

    /**
     * Parses the text.
     *
     * @throws TypeConversionException naming what is wrong
     */
    static PublishSpec parse(String text) {
        int slash = text.indexOf('/');
        Protocol protocol;
        try {
            protocol = slash < 0 ? Protocol.TCP : Protocol.parse(text.substring(slash + 1));
        } catch (IllegalArgumentException e) {
            throw new TypeConversionException(e.getMessage() + " in '" + text + "'");
        }
        String ports = slash < 0 ? text : text.substring(0, slash);
        int colon = ports.lastIndexOf(':');
        if (colon < 0) {
            throw new TypeConversionException("expected PUBLISHED:TARGET[/tcp|udp], e.g. 8080:80/tcp: '" + text + "'");
        }
        int first = ports.lastIndexOf(':', colon - 1);
        if (first >= 0) {
            throw new TypeConversionException("a published port has no address (it answers on the service's VIP): "
                + "'" + text + "', expected PUBLISHED:TARGET[/tcp|udp]");
        }
        return new PublishSpec(Converters.number(ports.substring(0, colon), 1, 65535, "published port in '"
            + text + "'"), Converters.number(ports.substring(colon + 1), 1, 65535, "target port in '" + text + "'"),
            protocol);
    }

    /** The API's Port: {@code {"published":8080,"target":80,"protocol":"tcp"}}. */
    ObjectNode toJson() {
        ObjectNode port = Json.object();
        port.put("published", published).put("target", target).put("protocol", protocol.toString());
        return port;
    }

    /** Picocli's converter for {@code --publish}. */
    static final class Converter implements ITypeConverter<PublishSpec> {
        @Override
        public PublishSpec convert(String value) {
            return parse(value);
        }
    }
}
