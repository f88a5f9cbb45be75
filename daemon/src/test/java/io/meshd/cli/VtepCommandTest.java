package io.meshd.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** {@code meshd vtep} refuses bad arguments with a clear message and exit code 2, before creating anything. */
class VtepCommandTest {

    private final CliRun cli = new CliRun();

    private int run(String... args) {
        return cli.run(args);
    }

    @Test
    void shouldBeListedInHelp() {
        assertEquals(0, run("--help"));
        assertTrue(cli.out().contains("vtep"), cli.out());
    }

    @Test
    void shouldDescribeEveryOptionInItsHelp() {
        assertEquals(0, run("vtep", "--help"));
        for (String option : new String[] {"--vni", "--local", "--port", "--remote", "--attach", "--neighbor",
            "--transport", "--mtu", "--no-learning", "--queues", "--receive-sockets", "--busy-poll-us",
            "--pollers"}) {
            assertTrue(cli.out().contains(option), option + " missing from:\n" + cli.out());
        }
    }

    @Test
    void shouldDocumentTheDefaultQueuesAndReceiveSockets() {
        assertEquals(0, run("vtep", "--help"));
        assertTrue(cli.out().replaceAll("\\s+", " ").contains("one per core, at most 4"), cli.out());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "--vni 16777216 --local 10.1.0.1|--vni must be 0..16777215",
        "--vni -1 --local 10.1.0.1|--vni must be 0..16777215",
        "--vni 42 --local 10.1.0.300|is not an IPv4 address",
        "--vni 42 --local 10.1.0.1 --remote nohost|is not an IPv4 address",
        "--vni 42 --local 10.1.0.1 --port 70000|--port must be 1..65535",
        "--vni 42 --local 10.1.0.1 --transport carrier-pigeon|unknown transport",
        "--vni 42 --local 10.1.0.1 --attach ns1:eth0:10.0.0.1|expected IP/PREFIX",
        "--vni 42 --local 10.1.0.1 --attach ns1:eth0:10.0.0.1/33|prefix length must be 1..32",
        "--vni 42 --local 10.1.0.1 --attach ns1:eth0:10.0.0.1/24:zz:zz|ns1:eth0:10.0.0.1/24:zz:zz",
        "--vni 42 --local 10.1.0.1 --attach ns1:eth0:10.0.0.1/24:01:00:5e:00:00:01|unicast",
        "--vni 42 --local 10.1.0.1 --attach ns1:averyveryverylongname:10.0.0.1/24|1 to 15 characters",
        "--vni 42 --local 10.1.0.1 --mtu 20 --attach ns1:eth0:10.0.0.1/24|MTU must be 68..65000",
        "--vni 42 --local 10.1.0.1 --neighbor 10.0.0.2|is not IP=MAC@VTEP",
        "--vni 42 --local 10.1.0.1 --neighbor 10.0.0.2=02:42:0a:00:00:02@x|is not an IPv4 address",
        "--vni 42 --local 10.1.0.1 --neighbor 10.0.0.2=02:42@10.1.0.2|bad MAC",
        "--vni 42 --local 10.1.0.1 --neighbor 10.0.0.2=ff:ff:ff:ff:ff:ff@10.1.0.2|unicast station address",
        "--vni 42 --local 10.1.0.1 --source-ports 1000-2000|more than 64 ports",
        "--vni 42 --local 10.1.0.1 --source-ports 9-3|bad port range",
        "--vni 42 --local 10.1.0.1 --queues 0|--queues must be 1..",
        "--vni 42 --local 10.1.0.1 --pollers 0|--pollers must be 1..64",
        "--vni 42 --local 10.1.0.1 --pollers 65|--pollers must be 1..64",
        "--vni 42 --local 10.1.0.1 --receive-sockets 65|--receive-sockets must be 1..64",
        "--vni 42 --local 10.1.0.1 --queues two|--queues",
        "--vni 42 --local 10.1.0.1 --busy-poll-us 1001|--busy-poll-us must be 0..1000",
        "--vni 42 --local 10.1.0.1 --busy-poll-us -1|--busy-poll-us must be 0..1000",
        "--vni x --local 10.1.0.1|--vni",
        "--vni 42 --local 10.1.0.1 --vip 10.0.0.100:80|expected VIP:PORT",
        "--vni 42 --local 10.1.0.1 --publish 8080=10.0.0.2:80|--publish needs --ingress",
        "--vni 42 --local 10.1.0.1 --ingress 10.0.0.200/24|--ingress needs a --publish",
        "--vni 42 --local 10.1.0.1 --ingress 10.0.0.200/24 --publish 80=10.0.0.2:80 --publish 80/tcp=10.0.0.3:80|twice",
        "--vni 42 --local 10.1.0.1 --ingress 10.0.0.999/24 --publish 8080=10.0.0.2:80|10.0.0.999",
        "--vni 42 --local 10.1.0.1 --ingress 10.0.0.200/24 --publish 8080/sctp=10.0.0.2:80|sctp",
        "--vni 42 --local 10.1.0.1 --vip 10.0.0.100:80/icmp=10.0.0.2:80|icmp",
        "--vni 42 --local 10.1.0.1 --vip 10.0.0.100:80=10.0.0.2:80,10.0.0.2:80|twice",
        "--vni 42 --local 10.1.0.1 --vip 10.0.0.100:80=10.0.0.2:80 --vip 10.0.0.100:80=10.0.0.3:80|given twice",
        "--local 10.1.0.1|Missing required option: '--vni=VNI'",
    })
    void shouldRejectBadArgumentsWithExitCodeTwo(String args, String message) {
        String[] argv = ("vtep " + args).split(" ");
        assertEquals(2, run(argv), "exit code for: " + args + "\n" + cli.err());
        assertTrue(cli.err().contains(message), "message for: " + args + "\n" + cli.err());
    }
}
