package io.meshd.cli.mesh;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.meshd.lb.Protocol;
import org.junit.jupiter.api.Test;
import picocli.CommandLine.TypeConversionException;

class PublishSpecTest {

    @Test
    void shouldParsePublishedTargetAndProtocol() {
        assertEquals(new PublishSpec(8080, 80, Protocol.TCP), PublishSpec.parse("8080:80/tcp"));
        assertEquals(new PublishSpec(53, 5353, Protocol.UDP), PublishSpec.parse("53:5353/UDP"));
        assertEquals(new PublishSpec(1, 65535, Protocol.TCP), PublishSpec.parse("1:65535"));
    }

    @Test
    void shouldWriteTheApisPort() {
        assertEquals("{\"published\":53,\"target\":5353,\"protocol\":\"udp\"}",
            PublishSpec.parse("53:5353/udp").toJson().toString());
    }

    @Test
    void shouldNameWhatIsWrong() {
        assertMessage("80:x/tcp", "target port in '80:x/tcp' must be a number 1..65535: 'x'");
        assertMessage("0:80", "published port in '0:80' must be 1..65535: 0");
        assertMessage("80:65536", "target port in '80:65536' must be 1..65535: 65536");
        assertMessage("80:+80", "must be a number");
        assertMessage("80:80/sctp", "protocol must be tcp or udp: 'sctp' in '80:80/sctp'");
        assertMessage("80", "expected PUBLISHED:TARGET[/tcp|udp]");
        assertMessage("80:80/", "protocol must be tcp or udp");
        assertMessage("10.0.0.1:80:80", "a published port has no address");
        assertMessage("::80", "a published port has no address");
        assertMessage(":80", "published port in ':80' must be a number");
        assertMessage("99999999999:80", "must be a number");
    }

    private static void assertMessage(String text, String part) {
        TypeConversionException e = assertThrows(TypeConversionException.class, () -> PublishSpec.parse(text));
        assertTrue(e.getMessage().contains(part), e.getMessage());
    }
}
