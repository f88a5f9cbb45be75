package io.meshd.cli.mesh;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A table as {@code docker} prints one: upper-case headers, each column as wide as its widest cell plus three
 * spaces, no trailing spaces.
 */
final class Table {

    private static final int GAP = 3;

    private final List<String[]> rows = new ArrayList<>();
    private final int columns;

    Table(String... headers) {
        columns = headers.length;
        String[] upper = new String[columns];
        for (int i = 0; i < columns; i++) {
            upper[i] = headers[i].toUpperCase(Locale.ROOT);
        }
        rows.add(upper);
    }

    /**
     * Adds a row.
     *
     * @param cells one per header, printed with {@code String.valueOf}
     * @return this
     */
    Table row(Object... cells) {
        if (cells.length != columns) {
            throw new IllegalArgumentException(columns + " columns, row has " + cells.length);
        }
        String[] row = new String[columns];
        for (int i = 0; i < columns; i++) {
            row[i] = String.valueOf(cells[i]);
        }
        rows.add(row);
        return this;
    }

    /** Prints the header and the rows. */
    void print(PrintWriter out) {
        int[] width = new int[columns];
        for (String[] row : rows) {
            for (int i = 0; i < columns; i++) {
                width[i] = Math.max(width[i], row[i].length());
            }
        }
        for (String[] row : rows) {
            StringBuilder line = new StringBuilder();
            for (int i = 0; i < columns; i++) {
                line.append(row[i]);
                if (i < columns - 1) {
                    line.append(" ".repeat(width[i] - row[i].length() + GAP));
                }
            }
            out.println(line.toString().stripTrailing());
        }
    }
}
