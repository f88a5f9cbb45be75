package io.meshd.packet.testing;

import java.util.Optional;
import java.util.SplittableRandom;
import java.util.function.Consumer;

/**
 * A property checked over many seeded random trials, reproducibly: trial {@code i} of a property with base seed
 * {@code s} draws from {@code new SplittableRandom(s + i)}, and a failure names that trial's seed. Set the system
 * property {@value #REPLAY} to a seed to run only that trial (e.g. {@code -Dmeshd.seed=1234} with surefire).
 *
 * <p>{@link #firstFailure} runs the same trials and reports instead of throwing, so a test can show that the
 * property catches a deliberately broken implementation (a mutant).
 */
public final class SeededProperty {
    /** The system property that replays one trial seed. */
    public static final String REPLAY = "meshd.seed";

    private SeededProperty() {
    }

    /**
     * Runs the check for {@code tries} trials (or the one trial named by {@value #REPLAY}).
     *
     * @param name what the property says, for the failure message
     * @param seed the base seed
     * @param tries how many trials
     * @param check the property: throws (an assertion) when violated
     * @throws AssertionError naming the failing trial's seed
     */
    public static void forAll(String name, long seed, int tries, Consumer<SplittableRandom> check) {
        firstFailure(seed, tries, check).ifPresent(failure -> {
            throw new AssertionError(name + " fails for seed " + failure.seed() + " (replay with -D" + REPLAY + "="
                + failure.seed() + "): " + failure.cause(), failure.cause());
        });
    }

    /**
     * Runs the trials and returns the first that fails, without throwing.
     *
     * @param seed the base seed
     * @param tries how many trials
     * @param check the property
     * @return the first failing trial, empty if every trial holds
     */
    public static Optional<Failure> firstFailure(long seed, int tries, Consumer<SplittableRandom> check) {
        String replay = System.getProperty(REPLAY);
        long first = replay == null ? seed : Long.parseLong(replay);
        int count = replay == null ? tries : 1;
        for (int trial = 0; trial < count; trial++) {
            long trialSeed = first + trial;
            try {
                check.accept(new SplittableRandom(trialSeed));
            } catch (AssertionError | RuntimeException e) {
                return Optional.of(new Failure(trialSeed, e));
            }
        }
        return Optional.empty();
    }

    /**
     * A failing trial.
     *
     * @param seed the trial's seed
     * @param cause what the check threw
     */
    public record Failure(long seed, Throwable cause) {
    }

    /**
     * Random bytes of a random length.
     *
     * @param random the trial's generator
     * @param maxLength the largest length (inclusive)
     * @return a new array of 0 to {@code maxLength} bytes
     */
    public static byte[] bytes(SplittableRandom random, int maxLength) {
        byte[] bytes = new byte[random.nextInt(maxLength + 1)];
        random.nextBytes(bytes);
        return bytes;
    }
}
