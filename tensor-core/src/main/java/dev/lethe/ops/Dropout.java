package dev.lethe.ops;

import dev.lethe.tensor.CounterRandom;
import dev.lethe.tensor.Tensor;

/**
 * dropout (inverted): y = x ⊙ m with mᵢ = [uᵢ ≥ p]/(1 − p), uᵢ = {@link CounterRandom#uniform}
 * (seed, i) for element i in row-major order, so the mask depends only on the seed and the
 * shape, and E[y] = x. Identity when not training or p = 0. Composed; ∂L/∂x = ∂L/∂y ⊙ m.
 */
public final class Dropout {
    private Dropout() {}

    /** @throws IllegalArgumentException if p is outside [0, 1) */
    public static Tensor apply(Tensor x, double p, long seed, boolean training) {
        if (!(p >= 0 && p < 1)) throw new IllegalArgumentException("dropout: probability p " + p + " is outside [0, 1)");
        if (!training || p == 0) return x;
        return x.mul(mask(x, p, seed));
    }

    /** The scaled keep-mask for x's shape and dtype. */
    private static Tensor mask(Tensor x, double p, long seed) {
        Tensor m = Tensor.zeros(x.dtype(), x.shape());
        double keep = 1.0 / (1.0 - p);
        for (int i = 0; i < m.numel(); i++) if (CounterRandom.uniform(seed, i) >= p) m.storage().set(i, keep);
        return m;
    }
}
