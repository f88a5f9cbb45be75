package io.meshd.dns.records;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.meshd.dns.Fixtures;
import java.util.List;
import org.junit.jupiter.api.Test;

class RecordsFileTest {

    static final String EXAMPLE = String.join("\n",
        "networks:",
        "  - name: front",
        "    endpoints:",
        "      - name: web.1",
        "        addresses: [10.0.1.3, fd00::3]",
        "        services: [web]",
        "      - name: db.1",
        "        aliases: [database]",
        "        addresses: [10.0.1.9]",
        "        ttl: 30",
        "    services:",
        "      - name: web",
        "        mode: vip",
        "        vips: [10.0.1.2]",
        "        ports:",
        "          - {name: http, port: 80, protocol: tcp}",
        "      - name: rr",
        "        mode: dnsrr",
        "  - name: back",
        "    endpoints:",
        "      - {name: secret, addresses: [10.0.9.9]}",
        "");

    @Test
    void shouldReadNetworksEndpointsAndServices() throws Exception {
        List<MeshNetwork> networks = RecordsFile.parse("x.yaml", EXAMPLE);
        assertEquals(2, networks.size());
        MeshNetwork front = networks.get(0);
        assertEquals("front", front.name());
        assertEquals(List.of(Fixtures.ip("10.0.1.3"), Fixtures.ip("fd00::3")), front.endpoints().get(0).addresses());
        assertEquals(List.of("database"), front.endpoints().get(1).aliases());
        assertEquals(30, front.endpoints().get(1).ttl());
        assertEquals(ServiceMode.DNSRR, front.services().get(1).mode());
        assertEquals(new PublishedPort("http", 80, "tcp"), front.services().get(0).ports().get(0));
    }

    private static RecordsFileException failure(String text) {
        return assertThrows(RecordsFileException.class, () -> RecordsFile.parse("bad.yaml", text));
    }

    @Test
    void shouldNameTheLineOfEveryProblem() {
        assertEquals(5, failure(EXAMPLE.replace("10.0.1.3,", "ten.0.1.3,")).line());
        assertEquals(13, failure(EXAMPLE.replace("mode: vip", "mode: round-robin")).line());
        assertEquals(6, failure(EXAMPLE.replace("services: [web]", "servics: [web]")).line());
        assertEquals(16, failure(EXAMPLE.replace("port: 80", "port: 80000")).line());
        assertEquals(12, failure(EXAMPLE.replace("vips: [10.0.1.2]", "ports: []")).line());
        assertEquals(19, failure(EXAMPLE.replace("name: back", "name: front")).line());
        RecordsFileException yaml = failure("networks:\n  - name: [unclosed\n");
        assertTrue(yaml.line() >= 2, yaml.getMessage());
        assertTrue(yaml.getMessage().startsWith("bad.yaml:"), yaml.getMessage());
        assertEquals(1, failure("").line());
        assertEquals(2, failure("networks:\n  - name: bad/name\n").line());
    }

    @Test
    void shouldRefusePortNamesAndAliasesThatAreNotDnsLabels() {
        RecordsFileException longPort = failure(EXAMPLE.replace("name: http,", "name: " + "h".repeat(63) + ","));
        assertEquals(16, longPort.line());
        assertTrue(longPort.getMessage().contains("port name"), longPort.getMessage());
        assertEquals(16, failure(EXAMPLE.replace("name: http,", "name: ht\u00e9p,")).line());
        RecordsFileException alias = failure(EXAMPLE.replace("[database]", "[data base]"));
        assertEquals(7, alias.line());
        assertTrue(alias.getMessage().contains("alias"), alias.getMessage());
    }
}
