package io.meshd.dns;

import java.util.Set;

/**
 * Where the responder gets the mesh's names from. Names are scoped: a querier attached to networks {@code front}
 * and {@code back} sees the names of those networks only. {@link io.meshd.dns.records.LiveRecordSource} changes
 * while it serves (batches of changes, what the agent feeds from its replicated tables);
 * {@link io.meshd.dns.records.InMemoryRecordSource} rebuilds every view when its networks are replaced.
 */
public interface RecordSource {

    /**
     * The view for queriers attached to exactly these networks. Called once per listener when it starts; the view
     * must reflect later changes to the records itself.
     */
    RecordView view(Set<String> networks);
}
