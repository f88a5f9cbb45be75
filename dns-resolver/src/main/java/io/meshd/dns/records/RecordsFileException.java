package io.meshd.dns.records;

/** A records file that cannot be served, with the line the problem is on (1-based; 0 when unknown). */
public final class RecordsFileException extends Exception {

    private final int line;

    /** A problem at {@code line} of {@code file}. */
    public RecordsFileException(String file, int line, String message) {
        super(file + (line > 0 ? ":" + line : "") + ": " + message);
        this.line = line;
    }

    /** The 1-based line, or 0 when the problem is not on one line (e.g. the file cannot be read). */
    public int line() {
        return line;
    }
}
