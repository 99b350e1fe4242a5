package dev.lethe.train;

/**
 * How a classifier is trained: minibatch SGD on the mean cross-entropy.
 *
 * @param epochs      passes over the training set (≥ 0)
 * @param batchSize   samples per step (≥ 1); the last, shorter batch is kept
 * @param lr          peak learning rate (&gt; 0)
 * @param schedule    {@code constant}, or {@code cosine}: lr·½(1 + cos(π·t/T)) stepped per batch, reaching 0 at the end
 * @param momentum    SGD momentum μ ∈ [0, 1)
 * @param weightDecay L2 coefficient added to the gradient (≥ 0)
 * @param seed        shuffling seed (the model has its own init seed)
 */
public record Recipe(int epochs, int batchSize, double lr, Schedule schedule, double momentum, double weightDecay, long seed) {
    /** Learning-rate schedules. */
    public enum Schedule {
        CONSTANT, COSINE;

        /** Parses {@code constant} or {@code cosine} (any case), naming the valid values on error. */
        public static Schedule parse(String s) {
            for (Schedule v : values()) if (v.name().equalsIgnoreCase(s)) return v;
            throw new IllegalArgumentException("unknown schedule '" + s + "'; expected constant or cosine");
        }
    }

    /** Validates every field, naming the bad value. */
    public Recipe {
        if (epochs < 0) throw new IllegalArgumentException("epochs must be ≥ 0, got " + epochs);
        if (batchSize < 1) throw new IllegalArgumentException("batch size must be ≥ 1, got " + batchSize);
        if (!(lr > 0) || !Double.isFinite(lr)) throw new IllegalArgumentException("learning rate must be a positive number, got " + lr);
        if (!(momentum >= 0 && momentum < 1)) throw new IllegalArgumentException("momentum must be in [0, 1), got " + momentum);
        if (!(weightDecay >= 0) || !Double.isFinite(weightDecay)) throw new IllegalArgumentException("weight decay must be ≥ 0, got " + weightDecay);
        if (schedule == null) throw new IllegalArgumentException("schedule must be given");
    }

    /** The defaults of {@code lethe train}: SGD momentum 0.9, batch 128, lr 0.05 constant, no weight decay. */
    public static Recipe defaults(int epochs, long seed) {
        return new Recipe(epochs, 128, 0.05, Schedule.CONSTANT, 0.9, 0.0, seed);
    }
}
