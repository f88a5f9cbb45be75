package io.meshd.lb;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import com.code_intelligence.jazzer.junit.FuzzTest;
import com.code_intelligence.jazzer.mutation.annotation.NotNull;

class ServiceTextFuzzTest {

    /** Command-line text for a service either parses to a key that prints back the same, or is refused. */
    @FuzzTest
    void shouldParseAServiceKeyOrRefuseIt(@NotNull String text) {
        ServiceKey key;
        try {
            key = ServiceKey.parse(text);
        } catch (IllegalArgumentException e) {
            assertFalse(e.getMessage() == null || e.getMessage().isEmpty(), "a refusal says why");
            return;
        }
        assertEquals(key, ServiceKey.parse(key.toString()), "round trip of " + text);
    }

    /** Backend text either parses to a backend whose identity parses back to the same address, or is refused. */
    @FuzzTest
    void shouldParseABackendOrRefuseIt(@NotNull String text) {
        ServiceBackend backend;
        try {
            backend = ServiceBackend.parse(text);
        } catch (IllegalArgumentException e) {
            assertFalse(e.getMessage() == null || e.getMessage().isEmpty(), "a refusal says why");
            return;
        }
        ServiceBackend again = ServiceBackend.parse(backend.id() + "=" + backend.weight());
        assertEquals(backend, again, "round trip of " + text);
    }

    /** A {@code --vip} spec either parses to one that prints back the same, or is refused with a reason. */
    @FuzzTest
    void shouldParseAServiceSpecOrRefuseIt(@NotNull String text) {
        ServiceSpec spec;
        try {
            spec = ServiceSpec.parse(text);
        } catch (IllegalArgumentException e) {
            assertFalse(e.getMessage() == null || e.getMessage().isEmpty(), "a refusal says why");
            return;
        }
        assertFalse(spec.backends().isEmpty(), "a spec has backends: " + text);
        assertEquals(spec, ServiceSpec.parse(spec.toString()), "round trip of " + text);
    }
}
