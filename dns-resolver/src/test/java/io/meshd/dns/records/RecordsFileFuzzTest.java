package io.meshd.dns.records;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.meshd.dns.RecordView;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;

/**
 * The records-file loader on arbitrary text (seed corpus in {@code RecordsFileFuzzTestInputs/<method>/}): it either
 * loads networks that a record source then serves, or refuses with a {@link RecordsFileException} whose message
 * names the file; nothing else escapes (no runtime exception, no stack overflow).
 */
class RecordsFileFuzzTest {

    private static final String FILE = "fuzz.yaml";

    @FuzzTest
    void shouldLoadOrRefuseWithAMessage(byte[] bytes) {
        String text = new String(bytes, StandardCharsets.UTF_8);
        List<MeshNetwork> networks;
        try {
            networks = RecordsFile.parse(FILE, text);
        } catch (RecordsFileException e) {
            assertTrue(e.getMessage().startsWith(FILE), "the message names the file: " + e.getMessage());
            assertTrue(e.line() >= 0, "a line number, or 0");
            assertFalse(e.getMessage().substring(FILE.length()).isBlank(), "the message says what is wrong");
            return;
        }
        InMemoryRecordSource source = InMemoryRecordSource.builder().domain("mesh").networks(networks).build();
        Set<String> names = new java.util.HashSet<>();
        for (MeshNetwork n : networks) {
            assertTrue(names.add(n.name()), "network names are unique");
        }
        RecordView view = source.view(names);
        assertFalse(view.find(new byte[] {0}, 1).size() > 0, "the root has no records");
    }
}
