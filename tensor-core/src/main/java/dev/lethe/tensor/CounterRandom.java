package dev.lethe.tensor;

/**
 * Counter-based random numbers: element {@code i} of a stream with seed {@code s} is a pure
 * function of {@code (s, i)}. Any split of the work across threads therefore draws the same
 * numbers, which keeps random initialisation, dropout and shuffles reproducible.
 *
 * <p>The mixer is SplitMix64's finaliser applied to {@code s·φ + i} (φ the 64-bit golden
 * ratio), as in Steele, Lea and Flood, "Fast splittable pseudorandom number generators"
 * (OOPSLA 2014).
 */
public final class CounterRandom {
    private static final long GOLDEN = 0x9E3779B97F4A7C15L;

    private CounterRandom() {}

    /** 64 random bits for position {@code i} of stream {@code seed}. */
    public static long bits(long seed, long i) {
        long z = seed * GOLDEN + (i + 1) * 0xD1B54A32D192ED03L;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /** Uniform in [0, 1) with 53 random bits. */
    public static double uniform(long seed, long i) {
        return (bits(seed, i) >>> 11) * 0x1.0p-53;
    }

    /**
     * Standard normal by Box–Muller from the two uniforms at {@code 2i} and {@code 2i+1}:
     * z = √(−2 ln u₁)·cos(2π u₂), with u₁ ∈ (0, 1].
     */
    public static double normal(long seed, long i) {
        double u1 = 1.0 - uniform(seed, 2 * i);
        double u2 = uniform(seed, 2 * i + 1);
        return Math.sqrt(-2.0 * Math.log(u1)) * Math.cos(2.0 * Math.PI * u2);
    }

    /** Uniform integer in [0, bound) (bound ≥ 1), by Lemire's multiply-shift. */
    public static int below(long seed, long i, int bound) {
        if (bound < 1) throw new IllegalArgumentException("bound must be at least 1, got " + bound);
        return (int) (((bits(seed, i) >>> 32) * bound) >>> 32);
    }
}
