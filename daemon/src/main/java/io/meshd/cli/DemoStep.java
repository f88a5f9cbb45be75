package io.meshd.cli;

import java.io.PrintWriter;

/**
 * One stage of {@code meshd demo}. Each feature adds a step that shows it working for real and says what it did.
 */
interface DemoStep {

    /** A short title printed before the step runs. */
    String title();

    /**
     * Runs the step, writing what happens to {@code out}.
     *
     * @return true if the step showed what it meant to; false if it failed (the demo then exits non-zero)
     */
    boolean run(PrintWriter out) throws Exception;
}
