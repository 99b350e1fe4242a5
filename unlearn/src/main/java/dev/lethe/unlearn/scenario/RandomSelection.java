package dev.lethe.unlearn.scenario;

import dev.lethe.data.Dataset;

import java.util.Arrays;

/**
 * {@code random:F}: forget m = round(F·N) training samples drawn uniformly without replacement,
 * N the size of the whole training set (so every request of a sequence has the same size),
 * drawn from the samples no earlier request took.
 *
 * <p>The draw is {@link Sampling#withoutReplacement} over the remaining indices (ascending),
 * a pure function of (seed, what remains), whatever ran before.
 */
record RandomSelection(double fraction) implements Selection {
    RandomSelection {
        if (!(fraction > 0 && fraction < 1)) {
            throw new IllegalArgumentException("random:" + fraction + ": the fraction must lie in (0, 1), got " + fraction);
        }
    }

    @Override
    public String spec() {
        return "random:" + fraction;
    }

    /** m = round(F·N): rounding, not truncation, so random:0.29 of 100 samples is 29 even though 0.29·100 = 28.999…96 in floating point. */
    static int count(double fraction, int n) {
        return (int) Math.round(fraction * n);
    }

    @Override
    public int[] select(Dataset train, boolean[] gone, int numClasses, long seed) {
        int n = train.size();
        int m = count(fraction, n);
        if (m == 0) throw new IllegalArgumentException(spec() + ": selects round(" + fraction + " × " + n + ") = 0 samples; use a larger fraction");
        int[] remaining = new int[n];
        int r = 0;
        for (int i = 0; i < n; i++) if (!gone[i]) remaining[r++] = i;
        if (m > r) {
            throw new IllegalArgumentException(spec() + ": needs " + m + " samples but only " + r + " remain after the earlier requests");
        }
        return Sampling.withoutReplacement(Arrays.copyOf(remaining, r), m, seed);
    }

    @Override
    public int forgottenClass() {
        return -1;
    }
}
