package io.meshd.mesh;

import io.meshd.mesh.codec.EndpointKey;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This node's attachments as its {@link StateFile} lists them, kept in step with every attach and detach, and taken
 * up again when a node starts: {@link #recover} re-opens each persistent TAP and its namespace's DNS responder. With
 * no state file it keeps nothing and attachments are not persistent. Callers serialise (the {@link io.meshd.Mesh}
 * facade is synchronized).
 */
public final class SavedAttachments {
    private static final Logger LOG = LoggerFactory.getLogger(SavedAttachments.class);

    /**
     * What a start took up from the state file.
     *
     * @param file the state file, or empty when the node has none
     * @param recovered the endpoints taken up (keys {@code network/name}), each re-announced
     * @param dropped the endpoints the file listed that could not be taken up, each with the reason; their entries
     *     are deleted everywhere
     * @param error why the file itself could not be used (then nothing was recovered and the file was moved to
     *     {@code <file>.corrupt}), or empty
     */
    public record Report(Optional<Path> file, List<String> recovered, List<String> dropped,
                         Optional<String> error) {
        /** Copies the lists. */
        public Report {
            recovered = List.copyOf(recovered);
            dropped = List.copyOf(dropped);
        }
    }

    private final StateFile file;
    private final String node;
    private final Map<EndpointKey, StateFile.Entry> entries = new LinkedHashMap<>();
    private Report report;

    /** The attachments of a node with these options (kept in their state file if they name one). */
    public static SavedAttachments of(io.meshd.MeshOptions o) {
        return new SavedAttachments(o.stateFile().map(StateFile::new).orElse(null), o.nodeName());
    }

    /** Attachments of {@code node} kept in {@code file}, or not kept when it is null. */
    public SavedAttachments(StateFile file, String node) {
        this.file = file;
        this.node = node;
        this.report = new Report(Optional.ofNullable(file).map(StateFile::path), List.of(), List.of(),
            Optional.empty());
    }

    /** Whether attachments outlive the process (there is a state file): TAPs are then made persistent. */
    public boolean persistent() {
        return file != null;
    }

    /** What the last {@link #recover} did. */
    public Report report() {
        return report;
    }

    /**
     * Saves a new attachment.
     *
     * @throws UncheckedIOException when the file cannot be written (the attachment is then not saved)
     */
    public void add(StateFile.Entry e) {
        if (file == null) {
            return;
        }
        entries.put(e.key(), e);
        try {
            save();
        } catch (UncheckedIOException ex) {
            entries.remove(e.key());
            throw ex;
        }
    }

    /** Forgets an attachment (a failed write is logged: the next start finds no interface and drops it). */
    public void remove(EndpointKey key) {
        if (file != null && entries.remove(key) != null) {
            trySave();
        }
    }

    /** Forgets every attachment (all detached). */
    public void clear() {
        if (file != null) {
            entries.clear();
            trySave();
        }
    }

    /**
     * Takes up every attachment the state file lists: the persistent TAP re-opened in its namespace, the DNS
     * responder there bound again. One that cannot be (its namespace or interface gone, the kernel refusing) is
     * dropped, logged and reported. A file that cannot be used is logged, reported, moved aside, and nothing is taken
     * up. The file is then rewritten with what was taken up (unless it listed nothing).
     *
     * @return the endpoint values to announce, by table key
     * @throws InterruptedException if interrupted while a DNS responder is bound
     */
    public Map<String, byte[]> recover(LocalAttachments locals) throws InterruptedException {
        Map<String, byte[]> announce = new LinkedHashMap<>();
        if (file == null) {
            return announce;
        }
        List<StateFile.Entry> listed;
        try {
            listed = file.read(node);
        } catch (StateFile.Corrupt e) {
            String aside = "";
            try {
                aside = "; moved to " + file.moveAside();
            } catch (IOException io) {
                aside = "; could not move it aside: " + io;
            }
            LOG.error("{}{}: no attachment is recovered (interfaces it listed stay in their namespaces)",
                e.getMessage(), aside);
            report = new Report(Optional.of(file.path()), List.of(), List.of(), Optional.of(e.getMessage()));
            trySave();
            return announce;
        }
        List<String> recovered = new ArrayList<>();
        List<String> dropped = new ArrayList<>();
        for (StateFile.Entry e : listed) {
            try {
                locals.reattach(e.key(), e.vni(), e.attachment());
                entries.put(e.key(), e);
                announce.put(e.key().key(), e.value(node).encode());
                recovered.add(e.key().key());
            } catch (RuntimeException ex) {
                String why = e.key().key() + " (" + e.namespace() + ":" + e.interfaceName() + "): " + ex.getMessage();
                LOG.warn("not recovering {}", why);
                dropped.add(why);
            }
        }
        report = new Report(Optional.of(file.path()), recovered, dropped, Optional.empty());
        if (!listed.isEmpty()) { // nothing listed: nothing to rewrite (a node that never attached writes no file)
            LOG.info("recovered {} attachment(s) from {}, dropped {}", recovered.size(), file.path(), dropped.size());
            trySave();
        }
        return announce;
    }

    private void save() {
        file.write(node, new ArrayList<>(entries.values()));
    }

    private void trySave() {
        try {
            save();
        } catch (UncheckedIOException e) {
            LOG.warn("{}", e.getMessage());
        }
    }
}
