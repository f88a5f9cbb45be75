package io.meshd.dns;

import java.util.Arrays;
import java.util.List;

/**
 * An immutable list of records in chunks of 64, so a changed copy of a long list (the ten thousand tasks of one
 * service) copies one or two chunks and the chunk index, not every record. Removing a record moves the last one
 * into its place: the order is the order of insertion until something is removed (answers are shuffled anyway).
 */
public final class RecordList {

    /** The list with no records. */
    public static final RecordList EMPTY = new RecordList(new ResourceRecord[0][], 0);

    private static final int SHIFT = 6;
    private static final int CHUNK = 1 << SHIFT;
    private static final int MASK = CHUNK - 1;

    private final ResourceRecord[][] chunks;
    private final int size;

    private RecordList(ResourceRecord[][] chunks, int size) {
        this.chunks = chunks;
        this.size = size;
    }

    /** A list of these records, in this order. */
    public static RecordList of(List<ResourceRecord> records) {
        int n = records.size();
        ResourceRecord[][] c = new ResourceRecord[(n + MASK) >>> SHIFT][];
        for (int i = 0; i < c.length; i++) {
            c[i] = records.subList(i << SHIFT, Math.min(n, (i + 1) << SHIFT)).toArray(new ResourceRecord[0]);
        }
        return new RecordList(c, n);
    }

    /** Number of records. */
    public int size() {
        return size;
    }

    /** The record at {@code index} (0 to size - 1). */
    public ResourceRecord get(int index) {
        return chunks[index >>> SHIFT][index & MASK];
    }

    /** This list with {@code r} appended. */
    public RecordList plus(ResourceRecord r) {
        int chunk = size >>> SHIFT;
        int at = size & MASK;
        ResourceRecord[][] c;
        if (at == 0) {
            c = Arrays.copyOf(chunks, chunks.length + 1);
            c[chunk] = new ResourceRecord[] {r};
        } else {
            c = chunks.clone();
            ResourceRecord[] last = Arrays.copyOf(chunks[chunk], at + 1);
            last[at] = r;
            c[chunk] = last;
        }
        return new RecordList(c, size + 1);
    }

    /** This list without the record at {@code index}; the last record takes its place. */
    public RecordList removeAt(int index) {
        if (index < 0 || index >= size) {
            throw new IndexOutOfBoundsException(index + " of " + size);
        }
        int lastIndex = size - 1;
        int lastChunk = lastIndex >>> SHIFT;
        ResourceRecord[][] c = chunks.clone();
        if (index != lastIndex) {
            int chunk = index >>> SHIFT;
            ResourceRecord[] changed = c[chunk].clone();
            changed[index & MASK] = get(lastIndex);
            c[chunk] = changed;
        }
        int lastLength = lastIndex & MASK;
        if (lastLength == 0) {
            c = Arrays.copyOf(c, c.length - 1);
        } else {
            c[lastChunk] = Arrays.copyOf(c[lastChunk], lastLength);
        }
        return new RecordList(c, lastIndex);
    }
}
