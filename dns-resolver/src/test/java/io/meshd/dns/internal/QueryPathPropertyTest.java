package io.meshd.dns.internal;

import io.meshd.dns.Wire;
import io.netty.buffer.ByteBufUtil;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Seeded, reproducible sampling of the query path (the fuzz targets replay only their corpus in a plain build): random
 * packets, and valid queries with bytes cut, flipped, appended or header counts maxed, each through
 * {@link QueryPathHarness#check}. A failure names its seed and case, and the same seed replays it.
 */
class QueryPathPropertyTest {

    private static final List<String> NAMES = List.of("web", "tasks.web", "rr", "web.front.mesh", "nope.mesh",
        "mesh", "3.1.0.10.in-addr.arpa", "_http._tcp.web", "localhost", "example.com", "front.mesh");
    private static final int[] TYPES = {1, 28, 12, 33, 6, 255, 16, 252};
    private static final int[] PAYLOADS = {-1, 0, 512, 1232, 4096};
    private static final int CASES = 400;

    private final QueryPathHarness harness = new QueryPathHarness();

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {1, 2, 3, 0x5EED})
    void shouldSurviveRandomPackets(long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        for (int i = 0; i < CASES; i++) {
            byte[] packet = new byte[random.nextInt(600)];
            for (int k = 0; k < packet.length; k++) {
                packet[k] = (byte) random.nextInt(256);
            }
            check(seed, i, packet);
        }
    }

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {1, 2, 3, 0x5EED})
    void shouldSurviveMutatedQueries(long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        for (int i = 0; i < CASES; i++) {
            check(seed, i, mutate(validQuery(random), random));
        }
    }

    private void check(long seed, int index, byte[] packet) {
        try {
            harness.check(packet);
        } catch (AssertionError e) {
            throw new AssertionError("seed " + seed + ", case " + index + ", packet "
                + ByteBufUtil.hexDump(packet) + ": " + e.getMessage(), e);
        }
    }

    static byte[] validQuery(SplittableRandom random) {
        Wire.Query q = Wire.query(NAMES.get(random.nextInt(NAMES.size())), TYPES[random.nextInt(TYPES.length)])
            .id(random.nextInt(0x10000));
        int payload = PAYLOADS[random.nextInt(PAYLOADS.length)];
        if (payload >= 0) {
            q.edns(payload).ednsVersion(random.nextInt(2));
        }
        return q.bytes();
    }

    static byte[] mutate(byte[] q, SplittableRandom random) {
        switch (random.nextInt(4)) {
            case 0:
                return Arrays.copyOf(q, random.nextInt(q.length + 1));
            case 1: {
                byte[] c = q.clone();
                c[random.nextInt(c.length)] = (byte) random.nextInt(256);
                return c;
            }
            case 2: {
                byte[] c = Arrays.copyOf(q, q.length + random.nextInt(41));
                for (int k = q.length; k < c.length; k++) {
                    c[k] = (byte) random.nextInt(256);
                }
                return c;
            }
            default: {
                // Header counts are where parsers are most easily fooled.
                byte[] c = q.clone();
                c[4 + random.nextInt(8)] = (byte) 0xFF;
                return c;
            }
        }
    }
}
