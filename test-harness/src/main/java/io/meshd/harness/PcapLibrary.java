package io.meshd.harness;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * Points Pcap4J at the system's libpcap before Pcap4J loads it. Pcap4J asks JNA for {@code libpcap.so}, which
 * only the -dev package installs; Debian's runtime package ships {@code libpcap.so.0.8} (and
 * {@code libpcap.so.1...}). Unless {@code org.pcap4j.core.pcapLibName} is already set, the first library found in
 * the usual directories is set as an absolute path.
 */
final class PcapLibrary {

    static final String PROPERTY = "org.pcap4j.core.pcapLibName";
    private static final List<String> DIRECTORIES = List.of("/usr/lib/x86_64-linux-gnu", "/lib/x86_64-linux-gnu",
        "/usr/lib/aarch64-linux-gnu", "/lib/aarch64-linux-gnu", "/usr/lib64", "/lib64", "/usr/lib", "/lib",
        "/usr/local/lib");

    private PcapLibrary() {
    }

    /** Sets the property if needed and returns the library Pcap4J will load, or empty when none was found. */
    static synchronized Optional<String> configure() {
        String configured = System.getProperty(PROPERTY);
        if (configured != null) {
            return Optional.of(configured);
        }
        Optional<Path> found = find();
        found.ifPresent(path -> System.setProperty(PROPERTY, path.toString()));
        return found.map(Path::toString);
    }

    static Optional<Path> find() {
        for (String name : List.of("libpcap.so", "libpcap.so.1", "libpcap.so.0.8")) {
            for (String directory : DIRECTORIES) {
                Path candidate = Path.of(directory, name);
                if (Files.isReadable(candidate)) {
                    return Optional.of(candidate);
                }
            }
        }
        for (String directory : DIRECTORIES) {
            Path dir = Path.of(directory);
            if (Files.isDirectory(dir)) {
                try (DirectoryStream<Path> versions = Files.newDirectoryStream(dir, "libpcap.so.*")) {
                    for (Path candidate : versions) {
                        return Optional.of(candidate);
                    }
                } catch (IOException e) {
                    // An unreadable directory just holds no candidate.
                }
            }
        }
        return Optional.empty();
    }
}
