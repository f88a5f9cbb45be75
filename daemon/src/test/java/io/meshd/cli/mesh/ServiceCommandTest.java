package io.meshd.cli.mesh;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** {@code meshd service ...} against the contract's shapes: requests sent, output, errors and exit codes. */
class ServiceCommandTest {

    static final String WEB = "{\"name\": \"web\", \"mode\": \"vip\", "
        + "\"networks\": [{\"network\": \"front\", \"vip\": \"10.0.9.100\"}], "
        + "\"ports\": [{\"published\": 8080, \"target\": 80, \"protocol\": \"tcp\"}, "
        + "{\"published\": 53, \"target\": 53, \"protocol\": \"udp\"}], \"weights\": {\"web.1\": 0}}";
    static final String WEB_DETAIL = WEB.substring(0, WEB.length() - 1) + ", \"backends\": ["
        + "{\"endpoint\": \"web.1\", \"network\": \"front\", \"ip\": \"10.0.9.5\", \"node\": \"n1\", \"weight\": 0, "
        + "\"healthy\": true}, "
        + "{\"endpoint\": \"web.2\", \"network\": \"front\", \"ip\": \"10.0.9.6\", \"node\": \"n2\", \"weight\": 1, "
        + "\"healthy\": true}, "
        + "{\"endpoint\": \"web.3\", \"network\": \"front\", \"ip\": \"10.0.9.7\", \"node\": \"n3\", \"weight\": 1, "
        + "\"healthy\": false}]}";
    static final String DB = "{\"name\": \"db\", \"mode\": \"dnsrr\", \"networks\": [{\"network\": \"back\", "
        + "\"vip\": null}], \"ports\": [], \"weights\": {}}";

    @Test
    void shouldPostEveryOptionGivenAndPrintTheName() {
        FakeApi api = new FakeApi().answer("POST", "/v1/services", 201, WEB);
        try (VerbRun run = new VerbRun(api)) {
            assertEquals(0, run.run("service", "create", "web", "--network", "front", "--vip", "10.0.9.100",
                "--mode", "VIP", "--publish", "8080:80/tcp", "--publish", "53:53/udp", "--publish", "9090:90"));
            assertEquals(List.of("POST /v1/services {\"name\":\"web\",\"network\":\"front\",\"vip\":\"10.0.9.100\","
                + "\"mode\":\"vip\",\"ports\":[{\"published\":8080,\"target\":80,\"protocol\":\"tcp\"},"
                + "{\"published\":53,\"target\":53,\"protocol\":\"udp\"},"
                + "{\"published\":9090,\"target\":90,\"protocol\":\"tcp\"}]}"), api.sent());
            assertEquals("web\n", run.out());
        }
    }

    @Test
    void shouldPostNameAndNetworkAloneByDefault() {
        FakeApi api = new FakeApi().answer("POST", "/v1/services", 201, DB);
        try (VerbRun run = new VerbRun(api)) {
            assertEquals(0, run.run("service", "create", "db", "--network", "back"));
            assertEquals(List.of("POST /v1/services {\"name\":\"db\",\"network\":\"back\"}"), api.sent());
            assertEquals("db\n", run.out());
        }
    }

    @Test
    void shouldPrintTheApisRefusalAndExit1() {
        FakeApi api = new FakeApi().error("POST", "/v1/services", 400,
            "VIP 10.1.0.1 is outside network 'front' (10.0.9.0/24)");
        try (VerbRun run = new VerbRun(api)) {
            assertEquals(1, run.run("service", "create", "web", "--network", "front", "--vip", "10.1.0.1"));
            assertEquals("Error: VIP 10.1.0.1 is outside network 'front' (10.0.9.0/24)\n", run.err());
            assertEquals("", run.out());
        }
    }

    @Test
    void shouldRefuseBadValuesWithExit2BeforeAnyRequest() {
        for (String[] args : List.of(
            new String[] {"service", "create", "web", "--network", "front", "--publish", "80:x/tcp"},
            new String[] {"service", "create", "web", "--network", "front", "--publish", "80:80/sctp"},
            new String[] {"service", "create", "web", "--network", "front", "--publish", "0.0.0.0:80:80"},
            new String[] {"service", "create", "web", "--network", "front", "--publish", "80"},
            new String[] {"service", "create", "web", "--network", "front", "--vip", "web"},
            new String[] {"service", "create", "web", "--network", "front", "--mode", "rr"},
            new String[] {"service", "create", "web"},
            new String[] {"service", "update", "web", "--backend-weight", "web.1"},
            new String[] {"service", "update", "web", "--backend-weight", "web.1=-1"},
            new String[] {"service", "update", "web", "--backend-weight", "web.1=1001"},
            new String[] {"service", "update", "web", "--backend-weight", "=3"},
            new String[] {"service", "update", "web"},
            new String[] {"service", "ls", "--format", "yaml"},
            new String[] {"service", "inspect"},
            new String[] {"service"})) {
            FakeApi api = new FakeApi();
            try (VerbRun run = new VerbRun(api)) {
                assertEquals(2, run.run(args), String.join(" ", args));
                assertEquals(List.of(), api.sent(), String.join(" ", args));
                assertTrue(run.opened.isEmpty(), String.join(" ", args));
            }
        }
    }

    @Test
    void shouldNameTheBadPublishedPortInTheUsageError() {
        try (VerbRun run = new VerbRun(new FakeApi())) {
            assertEquals(2, run.run("service", "create", "web", "--network", "front", "--publish", "80:x/tcp"));
            assertTrue(run.err().startsWith("Invalid value for option '--publish' (PUBLISHED:TARGET[/tcp|udp]): "
                + "target port in '80:x/tcp' must be a number 1..65535: 'x'\n"), run.err());
        }
    }

    @Test
    void shouldListServicesWithHealthyAndAllBackends() {
        FakeApi api = new FakeApi().answer("GET", "/v1/services", 200, "[" + WEB + ", " + DB + "]")
            .answer("GET", "/v1/services/web", 200, WEB_DETAIL)
            .answer("GET", "/v1/services/db", 200, DB.substring(0, DB.length() - 1) + ", \"backends\": []}");
        try (VerbRun run = new VerbRun(api)) {
            assertEquals(0, run.run("service", "ls"));
            assertEquals("""
                NAME   MODE    NETWORK   VIP          PORTS                     BACKENDS
                web    vip     front     10.0.9.100   8080->80/tcp,53->53/udp   2/3
                db     dnsrr   back                                             0/0
                """, run.out());
        }
    }

    @Test
    void shouldListAsJsonAsTheApiAnswered() {
        FakeApi api = new FakeApi().answer("GET", "/v1/services", 200, "[" + DB + "]");
        try (VerbRun run = new VerbRun(api)) {
            assertEquals(0, run.run("service", "ls", "--format", "json"));
            assertEquals("""
                [
                    {
                        "name": "db",
                        "mode": "dnsrr",
                        "networks": [
                            {
                                "network": "back",
                                "vip": null
                            }
                        ],
                        "ports": [],
                        "weights": {}
                    }
                ]
                """, run.out());
        }
    }

    @Test
    void shouldInspectAsAnArrayOfOneObject() {
        FakeApi api = new FakeApi().answer("GET", "/v1/services/web", 200, WEB_DETAIL);
        try (VerbRun run = new VerbRun(api)) {
            assertEquals(0, run.run("service", "inspect", "web"));
            assertTrue(run.out().startsWith("[\n    {\n        \"name\": \"web\",\n        \"mode\": \"vip\",\n"),
                run.out());
            assertTrue(run.out().contains("""
                        "weights": {
                            "web.1": 0
                        },
                        "backends": [
                            {
                                "endpoint": "web.1",
                """), run.out());
            assertTrue(run.out().endsWith("    }\n]\n"), run.out());
        }
    }

    @Test
    void shouldInspectAsTables() {
        FakeApi api = new FakeApi().answer("GET", "/v1/services/web", 200, WEB_DETAIL);
        try (VerbRun run = new VerbRun(api)) {
            assertEquals(0, run.run("service", "inspect", "--format", "table", "web"));
            assertEquals("""
                NAME   MODE   NETWORK   VIP          PORTS
                web    vip    front     10.0.9.100   8080->80/tcp,53->53/udp

                ENDPOINT   NETWORK   IP         NODE   WEIGHT   HEALTHY
                web.1      front     10.0.9.5   n1     0        true
                web.2      front     10.0.9.6   n2     1        true
                web.3      front     10.0.9.7   n3     1        false
                """, run.out());
        }
    }

    @Test
    void shouldInspectAnUnknownServiceAsAnErrorWithNothingOnStdoutAndExit1() {
        FakeApi api = new FakeApi().error("GET", "/v1/services/nope", 404, "no service 'nope'");
        try (VerbRun run = new VerbRun(api)) {
            assertEquals(1, run.run("service", "inspect", "nope"));
            assertEquals("Error: no service 'nope'\n", run.err());
            assertEquals("", run.out());
        }
    }

    @Test
    void shouldPatchTheWeightsAndPrintTheName() {
        FakeApi api = new FakeApi().answer("PATCH", "/v1/services/web", 200, WEB);
        try (VerbRun run = new VerbRun(api)) {
            assertEquals(0, run.run("service", "update", "web", "--backend-weight", "web.1=0",
                "--backend-weight", "web.2=3"));
            assertEquals(List.of("PATCH /v1/services/web {\"weights\":{\"web.1\":0,\"web.2\":3}}"), api.sent());
            assertEquals("web\n", run.out());
        }
    }

    @Test
    void shouldPrintAnUnknownServiceOnUpdateAndExit1() {
        FakeApi api = new FakeApi().error("PATCH", "/v1/services/nope", 404, "no service 'nope'");
        try (VerbRun run = new VerbRun(api)) {
            assertEquals(1, run.run("service", "update", "nope", "--backend-weight", "web.1=0"));
            assertEquals("Error: no service 'nope'\n", run.err());
        }
    }

    @Test
    void shouldRemoveAndPrintTheNames() {
        FakeApi api = new FakeApi().answer("DELETE", "/v1/services/web", 204, null)
            .error("DELETE", "/v1/services/nope", 404, "no service 'nope'");
        try (VerbRun run = new VerbRun(api)) {
            assertEquals(1, run.run("service", "rm", "web", "nope"));
            assertEquals(List.of("DELETE /v1/services/web", "DELETE /v1/services/nope"), api.sent());
            assertEquals("web\n", run.out());
            assertEquals("Error: no service 'nope'\n", run.err());
        }
    }
}
