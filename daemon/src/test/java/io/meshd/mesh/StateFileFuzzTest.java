package io.meshd.mesh;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * {@link StateFile#read} on arbitrary file contents: it refuses them with {@link StateFile.Corrupt} and nothing else,
 * and what it accepts is written back and read again equal.
 */
class StateFileFuzzTest {

    private static final Path DIR;

    static {
        try {
            DIR = Files.createTempDirectory("meshd-statefile-fuzz");
            DIR.toFile().deleteOnExit();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @FuzzTest
    void read(byte[] input) throws IOException {
        Path p = DIR.resolve("n1.state.json");
        Files.write(p, input);
        StateFile f = new StateFile(p);
        List<StateFile.Entry> entries;
        try {
            entries = f.read("n1");
        } catch (StateFile.Corrupt refused) {
            return;
        }
        f.write("n1", entries);
        try {
            assertEquals(entries, f.read("n1"));
        } catch (StateFile.Corrupt e) {
            throw new AssertionError("an accepted document does not survive being written back", e);
        }
    }
}
