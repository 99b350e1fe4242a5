package dev.lethe.unlearn.scenario;

import dev.lethe.tensor.CounterRandom;

import java.util.Arrays;

/** Seeded sampling without replacement, shared by the random scenarios and the MIA attacker's member sample. */
public final class Sampling {
    private Sampling() {}

    /**
     * m distinct elements of {@code from}, sorted ascending: a partial Fisher–Yates shuffle of a
     * copy of {@code from} in which position j ∈ [0, m) swaps with
     * j + {@code CounterRandom.below(seed, j, |from| − j)}. A pure function of (from, m, seed).
     *
     * @throws IllegalArgumentException if m is negative or larger than |from|
     */
    public static int[] withoutReplacement(int[] from, int m, long seed) {
        if (m < 0 || m > from.length) throw new IllegalArgumentException("sampling: cannot draw " + m + " of " + from.length + " items");
        int[] pool = from.clone();
        for (int j = 0; j < m; j++) {
            int swap = j + CounterRandom.below(seed, j, pool.length - j);
            int t = pool[j];
            pool[j] = pool[swap];
            pool[swap] = t;
        }
        int[] chosen = Arrays.copyOf(pool, m);
        Arrays.sort(chosen);
        return chosen;
    }

    /** m distinct indices of [0, n), sorted; see {@link #withoutReplacement(int[], int, long)}. */
    public static int[] indices(int n, int m, long seed) {
        int[] all = new int[n];
        for (int i = 0; i < n; i++) all[i] = i;
        return withoutReplacement(all, m, seed);
    }
}
