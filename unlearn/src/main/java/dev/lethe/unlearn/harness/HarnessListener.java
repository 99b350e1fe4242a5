package dev.lethe.unlearn.harness;

/**
 * Progress of a grid, for a display (the harness itself prints nothing). Calls come from the
 * thread that runs the grid, in order: {@code planned} once, then per phase
 * {@code phaseStarted}, any number of {@code step}s, {@code phaseFinished}; {@code runFinished}
 * after the last phase of each (seed, scenario, request).
 */
public interface HarnessListener {
    /** A listener that ignores everything. */
    HarnessListener SILENT = new HarnessListener() {};

    /** The grid will go through {@code phases} phases. */
    default void planned(int phases) {}

    /**
     * A phase begins.
     *
     * @param totalSteps optimiser steps the phase will take, or −1 when unknown (methods do not announce theirs)
     */
    default void phaseStarted(Phase phase, long totalSteps) {}

    /** {@code done} optimiser steps of the current phase are finished. */
    default void step(long done) {}

    /** The phase ended after {@code seconds} of wall-clock time. */
    default void phaseFinished(Phase phase, double seconds) {}

    /** A method threw; its row records the error and the grid goes on. */
    default void methodFailed(Phase phase, RuntimeException error) {}

    /** Every row of one (seed, scenario, request) is ready. */
    default void runFinished(RunResult run) {}
}
