package dev.lethe.check;

import dev.lethe.tensor.DType;
import dev.lethe.tensor.Tensor;

/** Seeded float64 sample inputs for the op table. */
public final class Samples {
    private Samples() {}

    /** Standard normal values, float64. */
    public static Tensor randn(long seed, int... shape) {
        return Tensor.randn(seed, DType.FLOAT64, shape);
    }

    /** Uniform in [lo, hi), float64. */
    public static Tensor uniform(long seed, double lo, double hi, int... shape) {
        return GradCheck.uniform(seed, lo, hi, shape);
    }

    /** Values in [0.5, 2): safe for log, sqrt, division and powers. */
    public static Tensor positive(long seed, int... shape) {
        return uniform(seed, 0.5, 2.0, shape);
    }

    /**
     * Values whose pairwise gaps exceed the gradcheck step, so max/min/relu-like ops have no
     * near ties or kinks inside ±ε: a seeded permutation of −n/2 … n/2 scaled by 0.1.
     */
    public static Tensor distinct(long seed, int... shape) {
        Tensor t = Tensor.zeros(DType.FLOAT64, shape);
        int n = t.numel();
        int[] perm = new int[n];
        for (int i = 0; i < n; i++) perm[i] = i;
        for (int i = n - 1; i > 0; i--) {
            int j = dev.lethe.tensor.CounterRandom.below(seed, i, i + 1);
            int tmp = perm[i];
            perm[i] = perm[j];
            perm[j] = tmp;
        }
        for (int i = 0; i < n; i++) t.storage().set(i, 0.1 * (perm[i] - n / 2.0) + 0.05);
        return t;
    }
}
