package io.meshd.gossip;

import java.util.SplittableRandom;
import java.util.stream.LongStream;

/**
 * Seeds for the seeded property tests: each property runs once per seed over inputs drawn from a
 * {@link SplittableRandom} with that seed, so a failure names the one seed that replays it
 * ({@code -Dgossip.property.seed=N} runs only that one).
 */
public final class Seeds {

    /** Cases per property. */
    public static final int CASES = 300;
    private static final String REPLAY = "gossip.property.seed";

    private Seeds() {
    }

    /** The seeds of one property run: {@link #CASES} fixed ones, or the one given to replay. */
    public static LongStream seeds() {
        String one = System.getProperty(REPLAY);
        if (one != null) {
            return LongStream.of(Long.parseLong(one));
        }
        SplittableRandom base = new SplittableRandom(0x6055_1E5L);
        return LongStream.generate(base::nextLong).limit(CASES);
    }

    /** What to put in a failure message. */
    public static String replay(long seed) {
        return "seed " + seed + " (replay: -D" + REPLAY + "=" + seed + ")";
    }
}
