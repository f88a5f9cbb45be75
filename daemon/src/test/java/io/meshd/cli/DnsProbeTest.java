package io.meshd.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.meshd.dns.DnsServer;
import io.meshd.dns.records.InMemoryRecordSource;
import io.meshd.dns.records.RecordsFile;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class DnsProbeTest {

    private static final String RECORDS = String.join("\n",
        "networks:",
        "  - name: front",
        "    endpoints:",
        "      - {name: web.1, addresses: [10.0.1.3, 'fd00::3'], services: [web]}",
        "    services:",
        "      - {name: web, mode: vip, vips: [10.0.1.2]}",
        "");

    @Test
    void shouldReadRcodeAndAddressesFromTheResponder() throws Exception {
        InMemoryRecordSource source = InMemoryRecordSource.builder().domain("mesh")
            .networks(RecordsFile.parse("test", RECORDS)).build();
        try (DnsServer server = DnsServer.builder().listen(new InetSocketAddress("127.0.0.1", 0))
            .records(source).networks(Set.of("front")).domain("mesh").threads(1).start()) {
            InetSocketAddress at = server.addresses().get(0);
            assertEquals(new DnsProbe.Answer("NOERROR", List.of("10.0.1.2")), DnsProbe.ask(at, "web", 1));
            assertEquals(new DnsProbe.Answer("NOERROR", List.of("fd00:0:0:0:0:0:0:3")),
                DnsProbe.ask(at, "web.1.front.mesh", 28));
            assertEquals(new DnsProbe.Answer("NXDOMAIN", List.of()), DnsProbe.ask(at, "nope.mesh", 1));
        }
    }

    @Test
    void shouldRefuseAMalformedAnswer() {
        InetSocketAddress server = new InetSocketAddress("127.0.0.1", 53);
        byte[] cut = {0x12, 0x34, (byte) 0x81, (byte) 0x80, 0, 1, 0, 1, 0, 0, 0, 0, 3, 'w'};
        assertThrows(IOException.class, () -> DnsProbe.decode(cut, server));
    }
}
