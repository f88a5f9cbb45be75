package io.meshd.mesh;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.meshd.mesh.codec.EndpointKey;
import io.meshd.mesh.codec.EndpointValue;
import io.meshd.packet.Ipv4;
import io.meshd.vxlan.tap.Attachment;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StateFileTest {

    @TempDir
    Path dir;

    private static StateFile.Entry entry(String network, String ns, String name, String ip, String ifname, int vni) {
        Attachment a = Attachment.builder().namespace(ns).interfaceName(ifname).ipv4(Ipv4.parse(ip), 24).build();
        EndpointValue v = new EndpointValue(StateFile.address(ip), a.mac(), "n1", "web", List.of("w1", "w2"));
        return StateFile.Entry.of(new EndpointKey(network, name), vni, a, v);
    }

    @Test
    void shouldReadBackWhatItWroteAndNothingWithoutAFile() throws Exception {
        StateFile f = new StateFile(dir.resolve("sub/n1.state.json"));
        assertEquals(List.of(), f.read("n1"), "no file: nothing to recover");
        List<StateFile.Entry> written = List.of(entry("front", "c1", "web.1", "10.0.9.5", "eth0", 4242),
            entry("back", "c1", "db", "10.0.10.7", "eth1", 4243));
        f.write("n1", written);
        List<StateFile.Entry> read = f.read("n1");
        assertEquals(written, read);
        StateFile.Entry e = read.get(0);
        assertEquals("front/web.1", e.key().key());
        assertEquals(Ipv4.parse("10.0.9.5"), e.attachment().ipv4());
        assertEquals("eth0", e.attachment().interfaceName());
        assertEquals(new EndpointValue(StateFile.address("10.0.9.5"), e.attachment().mac(), "n2", "web",
            List.of("w1", "w2")), e.value("n2"));
        String text = Files.readString(f.path());
        assertTrue(text.contains("\"mac\" : \"02:42:0a:00:09:05\""), text);
    }

    @Test
    void shouldReplaceTheFileByRenameLeavingNoTemporaryFile() throws Exception {
        StateFile f = new StateFile(dir.resolve("n1.state.json"));
        f.write("n1", List.of(entry("front", "c1", "a", "10.0.9.5", "eth0", 7)));
        Object before = Files.getAttribute(f.path(), "unix:ino");
        f.write("n1", List.of());
        assertNotEquals(before, Files.getAttribute(f.path(), "unix:ino"),
            "a new file renamed over the old one, not the old one rewritten in place");
        assertFalse(Files.exists(dir.resolve("n1.state.json.tmp")), "the temporary file was renamed");
        assertEquals(List.of(), f.read("n1"));
    }

    @Test
    void shouldKeepTheLastWholeDocumentWhenAWriteDiedBeforeItsRename() throws Exception {
        StateFile f = new StateFile(dir.resolve("n1.state.json"));
        List<StateFile.Entry> whole = List.of(entry("front", "c1", "a", "10.0.9.5", "eth0", 7));
        f.write("n1", whole);
        // a process killed while writing leaves at most a partial temporary file
        Files.writeString(dir.resolve("n1.state.json.tmp"), "{\"version\":1,\"node\":\"n1\",\"attachm");
        assertEquals(whole, f.read("n1"));
        f.write("n1", whole); // and the next write replaces the leftover
        assertEquals(whole, f.read("n1"));
    }

    @Test
    void shouldRefuseAFileThatIsNotAStateDocumentSayingWhy() throws Exception {
        Path p = dir.resolve("n1.state.json");
        StateFile f = new StateFile(p);
        Map<String, String> bad = Map.of(
            "garbage", "not json at all",
            "empty", "",
            "truncated", "{\"version\":1,\"node\":\"n1\",\"attachments\":[{\"network\":\"fr",
            "version", "{\"version\":9,\"node\":\"n1\",\"attachments\":[]}",
            "bad MAC", "{\"version\":1,\"node\":\"n1\",\"attachments\":[{\"network\":\"front\",\"namespace\":\"c1\","
                + "\"name\":\"a\",\"ip\":\"10.0.9.5\",\"prefixLength\":24,\"mac\":\"zz\",\"mtu\":1450,"
                + "\"interfaceName\":\"eth0\",\"vni\":7}]}",
            "no VNI", "{\"version\":1,\"node\":\"n1\",\"attachments\":[{\"network\":\"front\",\"namespace\":\"c1\","
                + "\"name\":\"a\",\"ip\":\"10.0.9.5\",\"prefixLength\":24,\"mac\":\"02:42:0a:00:09:05\","
                + "\"mtu\":1450,\"interfaceName\":\"eth0\"}]}");
        for (Map.Entry<String, String> b : bad.entrySet()) {
            Files.write(p, b.getValue().getBytes(StandardCharsets.UTF_8));
            StateFile.Corrupt e = assertThrows(StateFile.Corrupt.class, () -> f.read("n1"), b.getKey());
            assertTrue(e.getMessage().contains(p.toString()), b.getKey() + ": " + e.getMessage());
        }
        new StateFile(p).write("n2", List.of());
        StateFile.Corrupt other = assertThrows(StateFile.Corrupt.class, () -> f.read("n1"));
        assertTrue(other.getMessage().contains("belongs to node 'n2'"), other.getMessage());
    }

    @Test
    void shouldRecoverNothingFromACorruptFileReportItAndMoveItAside() throws Exception {
        Path p = dir.resolve("n1.state.json");
        Files.writeString(p, "{\"version\":1,\"node\":\"n1\",\"attachments\":[{");
        SavedAttachments saved = new SavedAttachments(new StateFile(p), "n1");
        Map<String, byte[]> announce = saved.recover(null); // nothing is re-attached: no attacher needed
        assertEquals(Map.of(), announce);
        SavedAttachments.Report r = saved.report();
        assertTrue(r.error().orElseThrow().contains("is not a meshd state document"), r.toString());
        assertEquals(List.of(), r.recovered());
        assertTrue(Files.exists(dir.resolve("n1.state.json.corrupt")), "kept for a person to look at");
        assertEquals(List.of(), new StateFile(p).read("n1"), "a fresh, empty file in its place");
    }
}
