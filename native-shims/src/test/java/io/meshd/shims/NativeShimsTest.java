package io.meshd.shims;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class NativeShimsTest {

    @Test
    void shouldReportAvailabilityConsistently() {
        assertEquals(NativeShims.isAvailable(), NativeShims.unavailabilityCause().isEmpty());
        if ("true".equalsIgnoreCase(System.getenv("CI"))) {
            assertTrue(NativeShims.isAvailable(), () -> "CI runs as root with /dev/net/tun: "
                + NativeShims.unavailabilityCause().map(Throwable::toString).orElse(""));
        }
    }

    @Test
    void shouldNameTheCallAndTheErrnoText() {
        NativeException error = new NativeException("ioctl(TUNSETIFF) on /dev/net/tun", 1);
        assertEquals("ioctl(TUNSETIFF) on /dev/net/tun: Operation not permitted (errno 1)", error.getMessage());
        assertEquals(1, error.errno());
    }
}
