package io.meshd.dns.records;

import io.meshd.dns.records.Contributions.Pair;
import java.util.List;

/** What one endpoint or service change removed from and added to one network's names. */
record Delta(String network, List<Pair> removed, List<Pair> added) {
}
