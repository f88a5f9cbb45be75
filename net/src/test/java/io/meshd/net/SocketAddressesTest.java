package io.meshd.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SocketAddressesTest {

    private static InetSocketAddress at(String literal, int port) throws Exception {
        return new InetSocketAddress(InetAddress.getByName(literal), port);
    }

    @Test
    void shouldParseIpv4AndBracketedIpv6WithAndWithoutAPort() throws Exception {
        assertEquals(at("10.0.0.2", 53), SocketAddresses.parse("10.0.0.2", 53));
        assertEquals(at("10.0.0.2", 5353), SocketAddresses.parse("10.0.0.2:5353", 53));
        assertEquals(at("::1", 53), SocketAddresses.parse("::1", 53));
        assertEquals(at("::1", 53), SocketAddresses.parse("[::1]", 53));
        assertEquals(at("fd00::2", 7946), SocketAddresses.parse("[fd00::2]:7946"));
        assertEquals(at("127.0.0.1", 0), SocketAddresses.parse("127.0.0.1:0"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"localhost", "1foo.example", "10.0.0.256", "1.2.3", "", "web"})
    void shouldRefuseEverythingButIpLiteralsWithoutResolvingThem(String host) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
            () -> SocketAddresses.parse(host + ":53"));
        assertEquals("'" + host + "' is not an IP address (host names are not resolved)", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> SocketAddresses.address(host));
    }

    @Test
    void shouldRequireAPortWhenThereIsNoDefault() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
            () -> SocketAddresses.parse("10.0.0.2"));
        assertTrue(e.getMessage().contains("has no port: expected ADDR:PORT"), e.getMessage());
        // Without brackets an IPv6 address has no port: "::1:7946" is an address, not ::1 port 7946.
        assertThrows(IllegalArgumentException.class, () -> SocketAddresses.parse("::1:7946"));
    }

    @Test
    void shouldNameBadPortsAndBrackets() {
        assertEquals("bad port 'x' in '10.0.0.2:x'",
            assertThrows(IllegalArgumentException.class, () -> SocketAddresses.parse("10.0.0.2:x")).getMessage());
        assertEquals("port 65536 out of range in '10.0.0.2:65536'",
            assertThrows(IllegalArgumentException.class, () -> SocketAddresses.parse("10.0.0.2:65536")).getMessage());
        assertEquals("missing ']' in '[::1:53'",
            assertThrows(IllegalArgumentException.class, () -> SocketAddresses.parse("[::1:53")).getMessage());
        assertEquals("expected ':' after ']' in '[::1]53'",
            assertThrows(IllegalArgumentException.class, () -> SocketAddresses.parse("[::1]53")).getMessage());
    }
}
