package dev.lethe.unlearn.scenario;

import dev.lethe.data.Dataset;
import dev.lethe.tensor.CounterRandom;

import java.util.Arrays;

/**
 * {@code random:F}: forget m = round(F·N) training samples drawn uniformly without replacement,
 * N the size of the whole training set (so every request of a sequence has the same size),
 * drawn from the samples no earlier request took.
 *
 * <p>The draw is a partial Fisher–Yates shuffle of the remaining indices (ascending):
 * position j ∈ [0, m) swaps with j + {@code CounterRandom.below(seed, j, R − j)}, R the
 * number remaining; the first m are the forget set, returned sorted. A pure function of
 * (seed, what remains), whatever ran before.
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
        for (int j = 0; j < m; j++) {
            int swap = j + CounterRandom.below(seed, j, r - j);
            int t = remaining[j];
            remaining[j] = remaining[swap];
            remaining[swap] = t;
        }
        int[] chosen = Arrays.copyOf(remaining, m);
        Arrays.sort(chosen);
        return chosen;
    }

    @Override
    public int forgottenClass() {
        return -1;
    }
}
