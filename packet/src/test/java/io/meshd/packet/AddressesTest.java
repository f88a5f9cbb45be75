package io.meshd.packet;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AddressesTest {
    @Test
    void shouldParseAndFormatMacAddresses() {
        long mac = MacAddress.parse("02:42:0A:00:00:FE");

        assertEquals(0x0242_0A00_00FEL, mac);
        assertEquals("02:42:0a:00:00:fe", MacAddress.format(mac));
        assertEquals(mac, MacAddress.parse("2-42-a-0-0-fe"));
    }

    @Test
    void shouldRejectMalformedMacAddresses() {
        for (String bad : new String[] {"", "02:42:0a:00:00", "02:42:0a:00:00:fe:01", "02:42:0a:00:00:xx",
            "02:42:0a:00::fe", "002:42:0a:00:00:fe"}) {
            assertThrows(IllegalArgumentException.class, () -> MacAddress.parse(bad), bad);
        }
    }

    @Test
    void shouldDeriveDockerMacFromIpv4() {
        assertEquals("02:42:0a:00:00:02", MacAddress.format(MacAddress.fromIpv4(Ipv4.parse("10.0.0.2"))));
        assertEquals("02:42:c0:a8:ff:fe", MacAddress.format(MacAddress.fromIpv4(Ipv4.parse("192.168.255.254"))));
    }

    @Test
    void shouldClassifyGroupAddresses() {
        assertTrue(MacAddress.isBroadcast(MacAddress.BROADCAST));
        assertTrue(MacAddress.isMulticast(MacAddress.BROADCAST));
        assertTrue(MacAddress.isMulticast(MacAddress.parse("33:33:00:00:00:01")));
        assertFalse(MacAddress.isMulticast(MacAddress.parse("02:42:0a:00:00:02")));
        assertFalse(MacAddress.isBroadcast(MacAddress.parse("01:00:5e:00:00:01")));
        assertFalse(MacAddress.isValidSource(0));
        assertFalse(MacAddress.isValidSource(MacAddress.parse("01:00:5e:00:00:01")));
        assertTrue(MacAddress.isValidSource(MacAddress.parse("02:42:0a:00:00:02")));
    }

    @Test
    void shouldParseAndFormatIpv4Addresses() {
        assertEquals(0x0A00_0002, Ipv4.parse("10.0.0.2"));
        assertEquals(0xFFFF_FFFF, Ipv4.parse("255.255.255.255"));
        assertEquals("192.168.1.254", Ipv4.format(Ipv4.parse("192.168.1.254")));
        assertEquals("255.0.0.1", Ipv4.format(0xFF00_0001));
    }

    @Test
    void shouldRejectMalformedIpv4Addresses() {
        for (String bad : new String[] {"", "10.0.0", "10.0.0.0.1", "10.0.0.256", "10.0..1", "+1.0.0.1", "a.b.c.d",
            "1000.0.0.1"}) {
            assertThrows(IllegalArgumentException.class, () -> Ipv4.parse(bad), bad);
        }
    }
}
