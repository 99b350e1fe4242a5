package dev.lethe.unlearn.harness;

/**
 * One step of the grid, as a progress display names it.
 *
 * @param index    0-based position among all phases of the grid
 * @param total    how many phases the grid has
 * @param kind     what happens
 * @param seed     the run's seed
 * @param scenario the request's label (scenario spec, with the request number for a sequence); empty while training θ0
 * @param method   the row being produced ({@value Harness#ORIGINAL} while training or evaluating θ0)
 */
public record Phase(int index, int total, Kind kind, long seed, String scenario, String method) {
    /** What a phase does. */
    public enum Kind {
        /** Training θ0 on D with the recipe. */
        TRAIN_ORIGINAL,
        /** A method unlearning (the timed part). */
        UNLEARN,
        /** Measuring a model: accuracies and the MIA attacker. */
        EVALUATE
    }

    /** E.g. {@code seed 0 · random:0.1 · unlearn salun}. */
    public String describe() {
        String what = switch (kind) {
            case TRAIN_ORIGINAL -> "train original";
            case UNLEARN -> "unlearn " + method;
            case EVALUATE -> "evaluate " + method;
        };
        return "seed " + seed + (scenario.isEmpty() ? "" : " · " + scenario) + " · " + what;
    }
}
