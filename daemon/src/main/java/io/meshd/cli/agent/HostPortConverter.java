package io.meshd.cli.agent;

import io.meshd.net.SocketAddresses;
import java.net.InetSocketAddress;
import picocli.CommandLine;

/**
 * Parses {@code ADDR:PORT} (IPv6 as {@code [ADDR]:PORT}) with the one parser meshd has,
 * {@link SocketAddresses#parse(String)}: IP literals only, so reading the command line never waits on DNS.
 */
public final class HostPortConverter implements CommandLine.ITypeConverter<InetSocketAddress> {

    /** Parses {@code value} or throws {@link CommandLine.TypeConversionException} with the parser's message. */
    @Override
    public InetSocketAddress convert(String value) {
        try {
            return SocketAddresses.parse(value);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.TypeConversionException(e.getMessage());
        }
    }
}
