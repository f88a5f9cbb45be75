package io.meshd.gossip;

/** Told about every visible change of a replicated table, on the protocol thread. Must not block. */
@FunctionalInterface
public interface TableListener {

    /** One change. */
    void onEvent(TableEvent event);
}
