package io.meshd.cli.mesh;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@code meshd network ...} against the contract's shapes: requests sent, output, errors and exit codes. */
class NetworkCommandTest {

    static final String FRONT = "{\"name\": \"front\", \"subnet\": \"10.0.9.0/24\", \"vni\": 4242}";
    static final String FRONT_DETAIL = """
        {"name": "front", "subnet": "10.0.9.0/24", "vni": 4242,
         "endpoints": [
          {"network": "front", "name": "web.1", "ip": "10.0.9.5", "mac": "02:42:0a:00:09:05", "node": "n1",
           "service": "web", "aliases": ["w1", "www"]},
          {"network": "front", "name": "db", "ip": "10.0.9.6", "mac": "02:42:0a:00:09:06", "node": "n2",
           "service": "", "aliases": []}],
         "services": ["web"]}""";

    @Test
    void shouldPostTheNameAloneAndPrintTheCreatedName() {
        FakeApi api = new FakeApi().answer("POST", "/v1/networks", 201, FRONT);
        try (VerbRun run = new VerbRun(api)) {
            assertEquals(0, run.run("network", "create", "front"));
            assertEquals(List.of("POST /v1/networks {\"name\":\"front\"}"), api.sent());
            assertEquals("front\n", run.out());
            assertEquals("", run.err());
            assertEquals(List.of(Path.of(Verb.DEFAULT_SOCKET)), run.opened);
            assertEquals(1, api.closed());
        }
    }

    @Test
    void shouldPostSubnetAndVniWhenGivenOnTheSocketGiven() {
        FakeApi api = new FakeApi().answer("POST", "/v1/networks", 201, FRONT);
        try (VerbRun run = new VerbRun(api)) {
            assertEquals(0, run.run("network", "create", "front", "--subnet", "10.0.9.0/24", "--vni", "4242",
                "--socket", "/tmp/n1.sock"));
            assertEquals(List.of("POST /v1/networks {\"name\":\"front\",\"subnet\":\"10.0.9.0/24\",\"vni\":4242}"),
                api.sent());
            assertEquals(List.of(Path.of("/tmp/n1.sock")), run.opened);
        }
    }

    @Test
    void shouldPrintTheApisConflictAndExit1() {
        FakeApi api = new FakeApi().error("POST", "/v1/networks", 409,
            "subnet 10.0.9.0/24 overlaps network 'back' (10.0.0.0/16)");
        try (VerbRun run = new VerbRun(api)) {
            assertEquals(1, run.run("network", "create", "front", "--subnet", "10.0.9.0/24"));
            assertEquals("Error: subnet 10.0.9.0/24 overlaps network 'back' (10.0.0.0/16)\n", run.err());
            assertEquals("", run.out());
        }
    }

    @Test
    void shouldRefuseBadValuesWithExit2BeforeAnyRequest() {
        for (String[] args : List.of(
            new String[] {"network", "create", "front", "--vni", "0"},
            new String[] {"network", "create", "front", "--vni", "16777216"},
            new String[] {"network", "create", "front", "--vni", "x"},
            new String[] {"network", "create", "front", "--subnet", "10.0.9.0"},
            new String[] {"network", "create", "front", "--subnet", "10.0.9.0/33"},
            new String[] {"network", "create", "front", "--subnet", "front.example/24"},
            new String[] {"network", "create"},
            new String[] {"network", "ls", "--format", "yaml"},
            new String[] {"network", "rm"},
            new String[] {"network"})) {
            FakeApi api = new FakeApi();
            try (VerbRun run = new VerbRun(api)) {
                assertEquals(2, run.run(args), String.join(" ", args));
                assertEquals(List.of(), api.sent(), String.join(" ", args));
                assertTrue(run.opened.isEmpty(), String.join(" ", args));
                assertTrue(!run.err().isEmpty(), String.join(" ", args));
            }
        }
    }

    @Test
    void shouldListNetworksWithEveryNodesEndpointCount() {
        FakeApi api = new FakeApi()
            .answer("GET", "/v1/networks", 200, "[" + FRONT
                + ", {\"name\": \"back-end\", \"subnet\": \"10.0.10.0/24\", \"vni\": 4097}"
                + ", {\"name\": \"gone\", \"subnet\": \"10.0.11.0/24\", \"vni\": 4098}]")
            .answer("GET", "/v1/networks/front", 200, FRONT_DETAIL)
            .answer("GET", "/v1/networks/back-end", 200, "{\"name\": \"back-end\", \"subnet\": \"10.0.10.0/24\", "
                + "\"vni\": 4097, \"endpoints\": [], \"services\": []}")
            .error("GET", "/v1/networks/gone", 404, "no network 'gone'");
        try (VerbRun run = new VerbRun(api)) {
            assertEquals(0, run.run("network", "ls"));
            assertEquals("""
                NAME       SUBNET         VNI    ENDPOINTS
                front      10.0.9.0/24    4242   2
                back-end   10.0.10.0/24   4097   0
                """, run.out());
            assertEquals("", run.err());
        }
    }

    @Test
    void shouldPrintAnEmptyListAsItsHeader() {
        FakeApi api = new FakeApi().answer("GET", "/v1/networks", 200, "[]");
        try (VerbRun run = new VerbRun(api)) {
            assertEquals(0, run.run("network", "ls"));
            assertEquals("NAME   SUBNET   VNI   ENDPOINTS\n", run.out());
        }
    }

    @Test
    void shouldListAsIndentedJsonOrNamesOnly() {
        FakeApi api = new FakeApi().answer("GET", "/v1/networks", 200, "[" + FRONT + "]")
            .answer("GET", "/v1/networks", 200, "[" + FRONT + "]");
        try (VerbRun run = new VerbRun(api)) {
            assertEquals(0, run.run("network", "ls", "--format", "json"));
            assertEquals("""
                [
                    {
                        "name": "front",
                        "subnet": "10.0.9.0/24",
                        "vni": 4242
                    }
                ]
                """, run.out());
            assertEquals(0, run.run("network", "list", "-q"));
            assertTrue(run.out().endsWith("]\nfront\n"), run.out());
            assertEquals(List.of("GET /v1/networks", "GET /v1/networks"), api.sent());
        }
    }

    @Test
    void shouldInspectAsAnArrayOfOneObject() {
        FakeApi api = new FakeApi().answer("GET", "/v1/networks/front", 200, FRONT_DETAIL);
        try (VerbRun run = new VerbRun(api)) {
            assertEquals(0, run.run("network", "inspect", "front"));
            assertEquals("""
                [
                    {
                        "name": "front",
                        "subnet": "10.0.9.0/24",
                        "vni": 4242,
                        "endpoints": [
                            {
                                "network": "front",
                                "name": "web.1",
                                "ip": "10.0.9.5",
                                "mac": "02:42:0a:00:09:05",
                                "node": "n1",
                                "service": "web",
                                "aliases": [
                                    "w1",
                                    "www"
                                ]
                            },
                            {
                                "network": "front",
                                "name": "db",
                                "ip": "10.0.9.6",
                                "mac": "02:42:0a:00:09:06",
                                "node": "n2",
                                "service": "",
                                "aliases": []
                            }
                        ],
                        "services": [
                            "web"
                        ]
                    }
                ]
                """, run.out());
        }
    }

    @Test
    void shouldInspectAsTables() {
        FakeApi api = new FakeApi().answer("GET", "/v1/networks/front", 200, FRONT_DETAIL);
        try (VerbRun run = new VerbRun(api)) {
            assertEquals(0, run.run("network", "inspect", "front", "--format", "table"));
            assertEquals("""
                NAME    SUBNET        VNI    SERVICES
                front   10.0.9.0/24   4242   web

                ENDPOINT   IP         MAC                 NODE   SERVICE   ALIASES
                web.1      10.0.9.5   02:42:0a:00:09:05   n1     web       w1,www
                db         10.0.9.6   02:42:0a:00:09:06   n2
                """, run.out());
        }
    }

    @Test
    void shouldInspectWhatExistsAndExit1ForTheRest() {
        FakeApi api = new FakeApi().error("GET", "/v1/networks/nope", 404, "no network 'nope'")
            .answer("GET", "/v1/networks/front", 200, FRONT);
        try (VerbRun run = new VerbRun(api)) {
            assertEquals(1, run.run("network", "inspect", "nope", "front"));
            assertEquals("Error: no network 'nope'\n", run.err());
            assertTrue(run.out().startsWith("[\n    {\n        \"name\": \"front\""), run.out());
        }
    }

    @Test
    void shouldRemoveAndPrintTheName() {
        FakeApi api = new FakeApi().answer("DELETE", "/v1/networks/front", 204, null);
        try (VerbRun run = new VerbRun(api)) {
            assertEquals(0, run.run("network", "rm", "front"));
            assertEquals(List.of("DELETE /v1/networks/front"), api.sent());
            assertEquals("front\n", run.out());
        }
    }

    @Test
    void shouldRemoveWhatItCanAndExit1WhenOneIsRefused() {
        FakeApi api = new FakeApi()
            .error("DELETE", "/v1/networks/front", 409, "network 'front' has 2 endpoints attached")
            .error("DELETE", "/v1/networks/nope", 404, "no network 'nope'")
            .answer("DELETE", "/v1/networks/back", 204, null);
        try (VerbRun run = new VerbRun(api)) {
            assertEquals(1, run.run("network", "rm", "front", "nope", "back"));
            assertEquals("back\n", run.out());
            assertEquals("Error: network 'front' has 2 endpoints attached\nError: no network 'nope'\n", run.err());
        }
    }

    @Test
    void shouldEncodeNamesInPaths() {
        FakeApi api = new FakeApi().error("DELETE", "/v1/networks/a%2Fb%20c", 400, "bad network name 'a/b c'");
        try (VerbRun run = new VerbRun(api)) {
            assertEquals(1, run.run("network", "rm", "a/b c"));
            assertEquals("Error: bad network name 'a/b c'\n", run.err());
        }
    }
}
