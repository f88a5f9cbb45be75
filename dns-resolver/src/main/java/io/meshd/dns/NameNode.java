package io.meshd.dns;

import java.util.List;

/**
 * Everything the mesh knows about one name: its records (possibly none, for a name that exists only because names
 * exist below it, RFC 8020). {@link #ABSENT} stands for a name the mesh does not know.
 */
public final class NameNode {

    /** A name the mesh does not know; queries for it fall through to the next source of answers. */
    public static final NameNode ABSENT = new NameNode(RecordList.EMPTY, false);

    /**
     * A name with no records that exists only because names exist below it (an empty non-terminal, RFC 8020). The
     * responder answers it with NODATA inside its cluster domain and treats it as unknown outside.
     */
    public static final NameNode EMPTY_NON_TERMINAL = new NameNode(RecordList.EMPTY, true);

    private final RecordList records;
    private final boolean exists;

    private NameNode(RecordList records, boolean exists) {
        this.records = records;
        this.exists = exists;
    }

    /** A name that exists with these records (an empty list makes an empty non-terminal). */
    public static NameNode of(List<ResourceRecord> records) {
        return new NameNode(RecordList.of(records), true);
    }

    /** A name that exists with these records, shared, not copied (an empty list makes an empty non-terminal). */
    public static NameNode of(RecordList records) {
        return new NameNode(records, true);
    }

    /** Whether the name exists in the mesh. */
    public boolean exists() {
        return exists;
    }

    /** Number of records. */
    public int size() {
        return records.size();
    }

    /** The record at {@code index}, without copying. */
    public ResourceRecord record(int index) {
        return records.get(index);
    }

    /** How many records of {@code type} this name has. */
    public int count(int type) {
        int n = 0;
        for (int i = 0; i < records.size(); i++) {
            if (records.get(i).type() == type) {
                n++;
            }
        }
        return n;
    }
}
