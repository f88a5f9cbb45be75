package io.meshd.dns.internal;

import io.netty.buffer.ByteBuf;

/**
 * Writes names with RFC 1035 section 4.1.4 compression. Remembers where each suffix of the names written so far
 * starts in the message, in a small fixed table, and replaces the longest known suffix of a new name by a pointer.
 * Reused per message after {@link #reset()}; allocates nothing.
 */
final class NameCompressor {

    private static final int CAPACITY = 64;
    private static final int MAX_POINTER_OFFSET = 0x3FFF;

    private final byte[][] sources = new byte[CAPACITY][];
    private final int[] starts = new int[CAPACITY];
    private final int[] lengths = new int[CAPACITY];
    private final int[] offsets = new int[CAPACITY];
    private int count;

    void reset() {
        count = 0;
        for (int i = 0; i < CAPACITY; i++) {
            sources[i] = null;
        }
    }

    /** How many suffixes are remembered (a mark for {@link #forget}). */
    int size() {
        return count;
    }

    /** Forgets every suffix remembered after {@link #size()} returned {@code mark} (their bytes were cut). */
    void forget(int mark) {
        for (int i = mark; i < count; i++) {
            sources[i] = null;
        }
        count = mark;
    }

    /**
     * Records that the lower-case wire name {@code name[0, nameLength)} has been written at message offset
     * {@code offset}, so later names can point at its suffixes that start before {@code labelsEnd}.
     */
    void remember(byte[] name, int nameLength, int labelsEnd, int offset) {
        int i = 0;
        while (i < labelsEnd && count < CAPACITY && offset + i <= MAX_POINTER_OFFSET) {
            sources[count] = name;
            starts[count] = i;
            lengths[count] = nameLength - i;
            offsets[count] = offset + i;
            count++;
            i += (name[i] & 0xFF) + 1;
        }
    }

    /** Writes {@code name} (lower-case wire form) at the writer index, compressed against earlier names. */
    void write(ByteBuf out, byte[] name, int messageStart) {
        int i = 0;
        int length = name.length;
        while (i < length - 1) {
            int pointer = find(name, i, length - i);
            if (pointer >= 0) {
                if (i > 0) {
                    remember(name, length, i, out.writerIndex() - messageStart);
                    out.writeBytes(name, 0, i);
                }
                out.writeShort(0xC000 | pointer);
                return;
            }
            i += (name[i] & 0xFF) + 1;
        }
        remember(name, length, length - 1, out.writerIndex() - messageStart);
        out.writeBytes(name);
    }

    private int find(byte[] name, int start, int length) {
        for (int e = 0; e < count; e++) {
            if (lengths[e] == length && regionEquals(sources[e], starts[e], name, start, length)) {
                return offsets[e];
            }
        }
        return -1;
    }

    private static boolean regionEquals(byte[] a, int aStart, byte[] b, int bStart, int length) {
        for (int k = 0; k < length; k++) {
            if (a[aStart + k] != b[bStart + k]) {
                return false;
            }
        }
        return true;
    }
}
