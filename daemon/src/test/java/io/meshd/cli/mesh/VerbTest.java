package io.meshd.cli.mesh;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What every verb shares: reaching the agent, the statuses it expects, errors without a message, closing. */
class VerbTest {

    @Test
    void shouldSayTheAgentCannotBeReachedWithTheSocketAndWhy() {
        try (VerbRun run = VerbRun.unreachable("Connection refused")) {
            assertEquals(1, run.run("network", "ls", "--socket", "/tmp/nobody.sock"));
            assertEquals("Error: cannot reach the meshd agent at /tmp/nobody.sock: Connection refused "
                + "(is `meshd agent` running?)\n", run.err());
            assertEquals("", run.out());
        }
    }

    @Test
    void shouldNameTheSocketOnce() {
        try (VerbRun run = VerbRun.unreachable("No such file or directory: /tmp/nobody.sock")) {
            assertEquals(1, run.run("network", "ls", "--socket", "/tmp/nobody.sock"));
            assertEquals("Error: cannot reach the meshd agent at /tmp/nobody.sock: No such file or directory "
                + "(is `meshd agent` running?)\n", run.err());
        }
    }

    @Test
    void shouldSayTheAgentCannotBeReachedWhenARequestFails() {
        FakeApi api = new FakeApi().failing("Broken pipe");
        try (VerbRun run = new VerbRun(api)) {
            assertEquals(1, run.run("service", "rm", "web", "db"));
            assertEquals("Error: cannot reach the meshd agent at " + Verb.DEFAULT_SOCKET + ": Broken pipe "
                + "(is `meshd agent` running?)\n", run.err(), "once, not once per name");
            assertEquals(1, api.requests.size());
            assertEquals(1, api.closed());
        }
    }

    @Test
    void shouldUseEveryVerbsSocketOption() {
        for (String[] args : List.of(
            new String[] {"network", "create", "x"}, new String[] {"network", "ls"},
            new String[] {"network", "inspect", "x"}, new String[] {"network", "rm", "x"},
            new String[] {"attach", "x", "--netns", "c1"}, new String[] {"detach", "x", "--netns", "c1"},
            new String[] {"service", "create", "x", "--network", "n"}, new String[] {"service", "ls"},
            new String[] {"service", "inspect", "x"}, new String[] {"service", "update", "x", "--backend-weight",
                "a=1"}, new String[] {"service", "rm", "x"})) {
            try (VerbRun run = VerbRun.unreachable("nope")) {
                String[] withSocket = Arrays.copyOf(args, args.length + 2);
                withSocket[args.length] = "--socket";
                withSocket[args.length + 1] = "/tmp/s.sock";
                assertEquals(1, run.run(withSocket), String.join(" ", args));
                assertEquals(List.of(Path.of("/tmp/s.sock")), run.opened, String.join(" ", args));
            }
        }
    }

    @Test
    void shouldRefuseAnUnexpectedSuccessStatus() {
        FakeApi api = new FakeApi().answer("POST", "/v1/networks", 200, NetworkCommandTest.FRONT);
        try (VerbRun run = new VerbRun(api)) {
            assertEquals(1, run.run("network", "create", "front"));
            assertEquals("Error: the agent answered HTTP 200 to POST /v1/networks (expected 201)\n", run.err());
        }
    }

    @Test
    void shouldNameTheStatusOfAnErrorWithoutAMessage() {
        FakeApi api = new FakeApi().answer("GET", "/v1/networks", 503, null)
            .answer("GET", "/v1/services", 500, "{\"error\": \"internal error (see the agent's log)\", "
                + "\"status\": 500}");
        try (VerbRun run = new VerbRun(api)) {
            assertEquals(1, run.run("network", "ls"));
            assertEquals(1, run.run("service", "ls"));
            assertEquals("Error: the agent answered HTTP 503\nError: internal error (see the agent's log)\n",
                run.err());
        }
    }

    @Test
    void shouldListTheVerbsInHelp() {
        try (VerbRun run = new VerbRun(new FakeApi())) {
            assertEquals(0, run.run("--help"));
            for (String verb : List.of("network", "attach", "detach", "service")) {
                assertTrue(run.out().contains("  " + verb + " "), run.out());
            }
            assertEquals(0, run.run("network", "create", "--help"));
            assertTrue(run.out().contains("--socket=PATH"), run.out());
            assertTrue(run.out().contains(Verb.DEFAULT_SOCKET), run.out());
        }
    }
}
