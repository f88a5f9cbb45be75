package io.meshd.cli.mesh;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** {@code meshd attach} and {@code meshd detach}: bodies and queries sent, output, errors and exit codes. */
class AttachCommandTest {

    static final String ENDPOINT = "{\"network\": \"front\", \"name\": \"web.1\", \"ip\": \"10.0.9.5\", "
        + "\"mac\": \"02:42:0a:00:09:05\", \"node\": \"n1\", \"service\": \"web\", \"aliases\": [\"w1\", \"www\"]}";

    @Test
    void shouldPostEveryOptionGivenAndPrintTheEndpointsNameAndIp() {
        FakeApi api = new FakeApi().answer("POST", "/v1/attachments", 201, ENDPOINT);
        try (VerbRun run = new VerbRun(api)) {
            assertEquals(0, run.run("attach", "front", "--netns", "c1", "--ip", "10.0.9.5", "--name", "web.1",
                "--alias", "w1", "--alias", "www", "--service", "web"));
            assertEquals(List.of("POST /v1/attachments {\"network\":\"front\",\"namespace\":\"c1\","
                + "\"ip\":\"10.0.9.5\",\"name\":\"web.1\",\"aliases\":[\"w1\",\"www\"],\"service\":\"web\"}"),
                api.sent());
            assertEquals("web.1 10.0.9.5\n", run.out());
        }
    }

    @Test
    void shouldPostOnlyNetworkAndNamespaceByDefaultAndPrintTheAgentsChoices() {
        FakeApi api = new FakeApi().answer("POST", "/v1/attachments", 201, "{\"network\": \"front\", \"name\": "
            + "\"c-7f3a\", \"ip\": \"10.0.9.17\", \"mac\": \"02:42:0a:00:09:11\", \"node\": \"n1\", \"service\": \"\", "
            + "\"aliases\": []}");
        try (VerbRun run = new VerbRun(api)) {
            assertEquals(0, run.run("attach", "front", "--netns", "/proc/4242/ns/net"));
            assertEquals(List.of("POST /v1/attachments {\"network\":\"front\",\"namespace\":\"/proc/4242/ns/net\"}"),
                api.sent());
            assertEquals("c-7f3a 10.0.9.17\n", run.out());
        }
    }

    @Test
    void shouldSendTheIpNormalised() {
        FakeApi api = new FakeApi().answer("POST", "/v1/attachments", 201, ENDPOINT);
        try (VerbRun run = new VerbRun(api)) {
            assertEquals(0, run.run("attach", "front", "--netns", "c1", "--ip", "fd00:0:0:0::5"));
            assertEquals(List.of("POST /v1/attachments {\"network\":\"front\",\"namespace\":\"c1\","
                + "\"ip\":\"fd00::5\"}"), api.sent());
        }
    }

    @Test
    void shouldPrintASecondAttachsConflictAndExit1() {
        FakeApi api = new FakeApi().error("POST", "/v1/attachments", 409,
            "namespace 'c1' is already attached to network 'front'");
        try (VerbRun run = new VerbRun(api)) {
            assertEquals(1, run.run("attach", "front", "--netns", "c1"));
            assertEquals("Error: namespace 'c1' is already attached to network 'front'\n", run.err());
            assertEquals("", run.out());
        }
    }

    @Test
    void shouldPrintAnUnknownNetworkAndExit1() {
        FakeApi api = new FakeApi().error("POST", "/v1/attachments", 404, "no network 'nope'");
        try (VerbRun run = new VerbRun(api)) {
            assertEquals(1, run.run("attach", "nope", "--netns", "c1"));
            assertEquals("Error: no network 'nope'\n", run.err());
        }
    }

    @Test
    void shouldRefuseBadValuesWithExit2BeforeAnyRequest() {
        for (String[] args : List.of(
            new String[] {"attach", "front", "--netns", "c1", "--ip", "notanip"},
            new String[] {"attach", "front", "--netns", "c1", "--ip", "10.0.9.256"},
            new String[] {"attach", "front"},
            new String[] {"attach", "--netns", "c1"},
            new String[] {"detach", "front"},
            new String[] {"detach", "--netns", "c1"})) {
            FakeApi api = new FakeApi();
            try (VerbRun run = new VerbRun(api)) {
                assertEquals(2, run.run(args), String.join(" ", args));
                assertEquals(List.of(), api.sent(), String.join(" ", args));
                assertTrue(run.opened.isEmpty(), String.join(" ", args));
            }
        }
    }

    @Test
    void shouldNameTheBadIpInTheUsageError() {
        try (VerbRun run = new VerbRun(new FakeApi())) {
            assertEquals(2, run.run("attach", "front", "--netns", "c1", "--ip", "notanip"));
            assertTrue(run.err().contains("'notanip' is not an IP address"), run.err());
        }
    }

    @Test
    void shouldDetachWithTheNamespaceEncodedInTheQuery() {
        FakeApi api = new FakeApi()
            .answer("DELETE", "/v1/attachments?network=front&namespace=%2Fproc%2F4242%2Fns%2Fnet", 204, null);
        try (VerbRun run = new VerbRun(api)) {
            assertEquals(0, run.run("detach", "front", "--netns", "/proc/4242/ns/net"));
            assertEquals(List.of("DELETE /v1/attachments?network=front&namespace=%2Fproc%2F4242%2Fns%2Fnet"),
                api.sent());
            assertEquals("/proc/4242/ns/net\n", run.out());
        }
    }

    @Test
    void shouldPrintANamespaceNotAttachedAndExit1() {
        FakeApi api = new FakeApi().error("DELETE", "/v1/attachments?network=front&namespace=c1", 404,
            "namespace 'c1' is not attached to network 'front'");
        try (VerbRun run = new VerbRun(api)) {
            assertEquals(1, run.run("detach", "front", "--netns", "c1"));
            assertEquals("Error: namespace 'c1' is not attached to network 'front'\n", run.err());
            assertEquals("", run.out());
        }
    }
}
