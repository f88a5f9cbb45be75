package io.meshd;

/** What {@link Mesh#close(MeshShutdown)} does with the node's attachments. */
public enum MeshShutdown {
    /** Detach them: each interface leaves its container, the state file is emptied (as {@link Mesh#close()}). */
    DETACH,
    /**
     * Keep them for the next start, like Docker's live-restore: the persistent TAPs stay in the containers with their
     * addresses, MACs and routes (frames to them are dropped until a start takes them up again; TCP retransmits) and
     * the state file keeps listing them. Without a {@link MeshOptions#stateFile() state file} this detaches, since
     * nothing could take them up again.
     */
    KEEP_ATTACHMENTS
}
