package io.meshd.dns;

/**
 * The names visible from one scope (a set of networks), as the responder sees them on its hot path. Lookups must
 * not allocate or block: implementations answer from a prebuilt table and swap it when records change.
 */
public interface RecordView {

    /**
     * Finds a name.
     *
     * @param lowerCaseWireName the name in wire form (length-prefixed labels ending in a zero byte), lower case
     * @param length the number of bytes of the name, root byte included
     * @return the node, or {@link NameNode#ABSENT}
     */
    NameNode find(byte[] lowerCaseWireName, int length);

    /**
     * The view as it is now, for every lookup of one query (the answer, then the addresses of SRV and NS targets
     * in the additional section), so that a change published meanwhile cannot mix two states in one response. A
     * view that changes returns an object it already holds (no allocation); one that never changes returns itself.
     *
     * @return a view that does not change
     */
    default RecordView current() {
        return this;
    }
}
