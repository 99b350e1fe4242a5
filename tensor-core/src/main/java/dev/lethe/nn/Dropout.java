package dev.lethe.nn;

import dev.lethe.tensor.Tensor;

/**
 * Inverted dropout (see {@link dev.lethe.ops.Dropout}): in training, zeroes each element with
 * probability p and scales the rest by 1/(1 − p); the identity in eval. Forward number t
 * (counted from 0 in training mode only) draws its mask from seed derive(seed, t): every
 * call gets a fresh mask, and a run replays exactly from the same seed.
 */
public final class Dropout extends Module {
    private final double p;
    private final long seed;
    private long calls;

    /** @throws IllegalArgumentException if p is outside [0, 1) */
    public Dropout(double p, long seed) {
        if (!(p >= 0 && p < 1)) throw new IllegalArgumentException("Dropout: probability p " + p + " is outside [0, 1)");
        this.p = p;
        this.seed = seed;
    }

    @Override
    public Tensor forward(Tensor x) {
        if (!isTraining()) return x;
        return x.dropout(p, Init.derive(seed, calls++), true);
    }

    /** How many training-mode forwards have drawn a mask. */
    public long calls() {
        return calls;
    }
}
