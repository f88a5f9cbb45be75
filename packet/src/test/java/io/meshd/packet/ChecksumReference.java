package io.meshd.packet;

/** RFC 1071 the obvious way, word by word, and the RFC 1624 comparison rule: the tests' independent oracles. */
final class ChecksumReference {
    private ChecksumReference() {
    }

    /**
     * The internet checksum of the bytes, folding after every word.
     *
     * @param bytes the data (an odd last byte is padded with zero)
     * @return the checksum
     */
    static int checksum(byte[] bytes) {
        long sum = 0;
        for (int i = 0; i < bytes.length; i += 2) {
            int high = bytes[i] & 0xFF;
            int low = i + 1 < bytes.length ? bytes[i + 1] & 0xFF : 0;
            sum += high << 8 | low;
            sum = (sum & 0xFFFF) + (sum >>> 16);
        }
        return (int) ~sum & 0xFFFF;
    }

    /**
     * Whether an incrementally updated checksum matches a recomputed one: equal, except that when every word of
     * the data is zero recomputation gives 0xFFFF and the update may give 0x0000, the other encoding of zero.
     *
     * @param recomputed the checksum recomputed over the changed data
     * @param updated the checksum updated incrementally
     * @param after the changed data
     * @return true if they agree
     */
    static boolean sameChecksum(int recomputed, int updated, byte[] after) {
        return allZero(after) ? recomputed % 0xFFFF == updated % 0xFFFF : recomputed == updated;
    }

    /**
     * Whether every byte is zero.
     *
     * @param bytes the data
     * @return true if all are zero (or there are none)
     */
    static boolean allZero(byte[] bytes) {
        for (byte b : bytes) {
            if (b != 0) {
                return false;
            }
        }
        return true;
    }
}
