package io.meshd.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import com.code_intelligence.jazzer.mutation.annotation.NotNull;
import java.net.InetSocketAddress;

class SocketAddressesFuzzTest {

    /** Any text either parses to an address that prints and parses back the same, or is refused with a message. */
    @FuzzTest
    void shouldParseOrRefuseWithAReason(@NotNull String text) {
        InetSocketAddress parsed;
        try {
            parsed = SocketAddresses.parse(text, 53);
        } catch (IllegalArgumentException e) {
            assertTrue(e.getMessage() != null && !e.getMessage().isEmpty(), "a refusal names its reason");
            return;
        }
        assertTrue(parsed.getPort() >= 0 && parsed.getPort() <= 65535, "port in range");
        if (!parsed.isUnresolved()) {
            assertEquals(parsed, SocketAddresses.parse(SocketAddresses.format(parsed), 53), "round trip");
        }
    }
}
