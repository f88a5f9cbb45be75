package io.meshd.cli.mesh;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;

class TableTest {

    private static String print(Table t) {
        StringWriter s = new StringWriter();
        t.print(new PrintWriter(s, true));
        return s.toString();
    }

    @Test
    void shouldPadEachColumnToItsWidestCellPlusThreeSpaces() {
        assertEquals("""
            NAME         VNI   X
            a            1     last
            long-name1   22
            """, print(new Table("name", "vni", "x").row("a", 1, "last").row("long-name1", 22, "")));
    }

    @Test
    void shouldPrintUpperCaseHeadersOnlyWhenEmpty() {
        assertEquals("A   B\n", print(new Table("a", "b")));
    }

    @Test
    void shouldRefuseARowOfTheWrongWidth() {
        assertThrows(IllegalArgumentException.class, () -> new Table("a", "b").row("1"));
    }
}
