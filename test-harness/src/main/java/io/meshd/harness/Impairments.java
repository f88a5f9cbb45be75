package io.meshd.harness;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The nftables rules behind {@link Lab#impair} and {@link Lab#partition}. Each rule set is one table, replaced
 * atomically by an {@code nft -f} script that first declares, then deletes, then rebuilds the table.
 */
final class Impairments {

    private static final String PARTITION_TABLE = "meshd_partition";

    private final Lab lab;
    private final Map<LabHost, Set<String>> blocked = new LinkedHashMap<>();

    Impairments(Lab lab) {
        this.lab = lab;
    }

    synchronized void loss(LabHost host, String iface, double lossPercent) {
        if (!(lossPercent >= 0 && lossPercent <= 100)) {
            throw new IllegalArgumentException("loss must be between 0 and 100 percent: " + lossPercent);
        }
        if (!iface.matches("[A-Za-z0-9_.-]{1,15}")) {
            throw new IllegalArgumentException("bad interface name: " + iface);
        }
        String table = "meshd_loss_" + iface.replaceAll("[^A-Za-z0-9_]", "_");
        StringBuilder script = new StringBuilder(replaceTable("netdev", table));
        if (lossPercent > 0) {
            long threshold = Math.round(lossPercent * 100);
            script.append("table netdev ").append(table).append(" {\n")
                .append("  chain ingress {\n")
                .append("    type filter hook ingress device \"").append(iface).append("\" priority 0;\n")
                .append(threshold >= 10000 ? "    counter drop\n"
                    : "    numgen random mod 10000 < " + threshold + " counter drop\n")
                .append("  }\n}\n");
        }
        apply(host, script.toString());
    }

    synchronized void partition(Collection<LabHost> groupA, Collection<LabHost> groupB) {
        List<String> addressesA = groupA.stream().flatMap(h -> h.addresses().stream()).toList();
        List<String> addressesB = groupB.stream().flatMap(h -> h.addresses().stream()).toList();
        for (LabHost host : groupA) {
            blocked.computeIfAbsent(host, h -> new LinkedHashSet<>()).addAll(addressesB);
        }
        for (LabHost host : groupB) {
            blocked.computeIfAbsent(host, h -> new LinkedHashSet<>()).addAll(addressesA);
        }
        for (Map.Entry<LabHost, Set<String>> entry : blocked.entrySet()) {
            apply(entry.getKey(), partitionScript(entry.getValue()));
        }
    }

    synchronized void heal() {
        for (LabHost host : blocked.keySet()) {
            apply(host, replaceTable("inet", PARTITION_TABLE));
        }
        blocked.clear();
    }

    private static String partitionScript(Set<String> peers) {
        StringBuilder script = new StringBuilder(replaceTable("inet", PARTITION_TABLE));
        if (peers.isEmpty()) {
            return script.toString();
        }
        String set = String.join(", ", peers);
        script.append("table inet ").append(PARTITION_TABLE).append(" {\n")
            .append("  set peers { type ipv4_addr; elements = { ").append(set).append(" } }\n");
        for (String hook : List.of("input", "output", "forward")) {
            script.append("  chain ").append(hook).append(" {\n")
                .append("    type filter hook ").append(hook).append(" priority -10;\n")
                .append("    ip saddr @peers counter drop\n")
                .append("    ip daddr @peers counter drop\n")
                .append("  }\n");
        }
        return script.append("}\n").toString();
    }

    /** Declaring an empty table first makes the delete succeed whether or not the table existed. */
    private static String replaceTable(String family, String table) {
        return String.format(Locale.ROOT, "table %s %s {}\ndelete table %s %s\n", family, table, family, table);
    }

    private void apply(LabHost host, String script) {
        Path file = lab.newLogFile(host.shortName() + "-nft");
        try {
            Files.writeString(file, script);
            host.execOk("nft", "-f", file.toString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
