package io.meshd.cli.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class HostPortConverterTest {

    private final HostPortConverter converter = new HostPortConverter();

    @Test
    void shouldParseIpv4AndBracketedIpv6() throws Exception {
        assertEquals(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 7946),
            converter.convert("127.0.0.1:7946"));
        assertEquals(new InetSocketAddress(InetAddress.getByName("::1"), 0), converter.convert("[::1]:0"));
    }

    @Test
    void shouldRefuseHostNamesInsteadOfLookingThemUp() {
        CommandLine.TypeConversionException e = assertThrows(CommandLine.TypeConversionException.class,
            () -> converter.convert("localhost:7946"));
        assertEquals("'localhost' is not an IP address (host names are not resolved)", e.getMessage());
    }

    @Test
    void shouldExplainAMissingOrBadPort() {
        assertEquals("'127.0.0.1' has no port: expected ADDR:PORT ([ADDR]:PORT for IPv6)",
            assertThrows(CommandLine.TypeConversionException.class, () -> converter.convert("127.0.0.1")).getMessage());
        assertEquals("port 70000 out of range in '127.0.0.1:70000'",
            assertThrows(CommandLine.TypeConversionException.class,
                () -> converter.convert("127.0.0.1:70000")).getMessage());
    }
}
