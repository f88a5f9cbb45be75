package io.meshd.dns;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class RecordListTest {

    /** Seeded appends and removals across several chunks, checked against an array list doing the same moves. */
    @Test
    void shouldMatchAListThatMovesTheLastRecordIntoTheRemovedPlace() throws UnknownHostException {
        Random random = new Random(7);
        List<ResourceRecord> expected = new ArrayList<>();
        RecordList list = RecordList.EMPTY;
        List<RecordList> earlier = new ArrayList<>();
        List<List<ResourceRecord>> earlierExpected = new ArrayList<>();
        for (int step = 0; step < 3000; step++) {
            if (expected.isEmpty() || random.nextInt(3) > 0) {
                ResourceRecord r = ResourceRecord.a((Inet4Address) InetAddress.getByAddress(
                    new byte[] {10, 0, (byte) (step >> 8), (byte) step}), 60);
                expected.add(r);
                list = list.plus(r);
            } else {
                int i = random.nextInt(expected.size());
                ResourceRecord last = expected.remove(expected.size() - 1);
                if (i < expected.size()) {
                    expected.set(i, last);
                }
                list = list.removeAt(i);
            }
            if (step % 500 == 0) {
                earlier.add(list);
                earlierExpected.add(List.copyOf(expected));
            }
            assertEquals(expected.size(), list.size());
        }
        for (int i = 0; i < expected.size(); i++) {
            assertSame(expected.get(i), list.get(i));
        }
        for (int v = 0; v < earlier.size(); v++) {
            for (int i = 0; i < earlierExpected.get(v).size(); i++) {
                assertSame(earlierExpected.get(v).get(i), earlier.get(v).get(i), "older versions are unchanged");
            }
        }
        assertEquals(expected.size(), RecordList.of(expected).size());
        for (int i = 0; i < expected.size(); i++) {
            assertSame(expected.get(i), RecordList.of(expected).get(i));
        }
    }
}
