package io.meshd.lb;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.meshd.packet.Ipv4;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class ServiceSpecTest {

    @Test
    void shouldParseTheKeyAndEveryBackendWithItsWeight() {
        ServiceSpec spec = ServiceSpec.parse("10.0.9.100:53/udp=10.0.9.5:5353,10.0.9.6:5353=2");

        assertEquals(new ServiceKey(Ipv4.parse("10.0.9.100"), 53, Protocol.UDP), spec.key());
        assertEquals(List.of(new ServiceBackend(Ipv4.parse("10.0.9.5"), 5353, 1, true),
            new ServiceBackend(Ipv4.parse("10.0.9.6"), 5353, 2, true)), spec.backends());
    }

    @Test
    void shouldDefaultToTcp() {
        assertEquals(Protocol.TCP, ServiceSpec.parse("10.0.9.100:80=10.0.9.5:8080").key().protocol());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "10.0.9.100:80|expected VIP:PORT",
        "10.0.9.100:80=|empty backend",
        "10.0.9.100:80=10.0.9.5:80,|empty backend",
        "10.0.9.100:80=10.0.9.5:80,10.0.9.5:80=3|twice",
        "10.0.9.100:80/sctp=10.0.9.5:80|sctp",
        "10.0.9.100:0=10.0.9.5:80|port",
        "10.0.9.100:80=10.0.9.5|IP:PORT",
        "10.0.9.100:80=10.0.9.5:80=x|bad number",
        "10.0.9.100:80=10.0.9.5:80=-1|weight",
        "10.0.9.999:80=10.0.9.5:80|10.0.9.999",
    })
    void shouldRejectMalformedSpecsNamingTheProblem(String text, String message) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ServiceSpec.parse(text));
        assertTrue(e.getMessage().contains(message), e.getMessage());
    }
}
