package dev.lethe.nn;

import dev.lethe.tensor.CounterRandom;
import dev.lethe.tensor.Shapes;
import dev.lethe.tensor.Tensor;

/**
 * Seeded float32 initialisers with PyTorch's formulas ({@code torch.nn.init}). For a weight of
 * shape [out, in, k…], fan_in = in·Πk and fan_out = out·Πk. Element i of a draw is a pure
 * function of (seed, i) ({@link CounterRandom}), so a model is reproducible from its seed.
 */
public final class Init {
    /** The a of PyTorch's default Linear/Conv2d init, kaiming_uniform(a = √5): bound 1/√fan_in. */
    public static final double DEFAULT_A = Math.sqrt(5);

    private Init() {}

    /** The seed of sub-stream {@code index} of {@code seed}: how a model seeds its layers and a layer its parameters. */
    public static long derive(long seed, long index) {
        return CounterRandom.bits(seed, index);
    }

    /** Zeros. */
    public static Tensor zeros(int... shape) {
        return Tensor.zeros(shape);
    }

    /** Ones. */
    public static Tensor ones(int... shape) {
        return Tensor.ones(shape);
    }

    /** U(lo, hi). */
    public static Tensor uniform(long seed, double lo, double hi, int... shape) {
        Tensor t = Tensor.zeros(shape);
        for (int i = 0; i < t.numel(); i++) t.storage().set(i, lo + (hi - lo) * CounterRandom.uniform(seed, i));
        return t;
    }

    /** N(0, std²). */
    public static Tensor normal(long seed, double std, int... shape) {
        Tensor t = Tensor.zeros(shape);
        for (int i = 0; i < t.numel(); i++) t.storage().set(i, std * CounterRandom.normal(seed, i));
        return t;
    }

    /** Leaky-ReLU gain √(2/(1 + a²)) (a = 0: ReLU's √2). */
    public static double leakyReluGain(double a) {
        return Math.sqrt(2.0 / (1 + a * a));
    }

    /** U(−b, b) with b = gain(a)·√(3/fan_in). */
    public static Tensor kaimingUniform(long seed, double a, int... shape) {
        double bound = leakyReluGain(a) * Math.sqrt(3.0 / fanIn(shape));
        return uniform(seed, -bound, bound, shape);
    }

    /** N(0, σ²) with σ = gain(a)/√fan_in. */
    public static Tensor kaimingNormal(long seed, double a, int... shape) {
        return normal(seed, leakyReluGain(a) / Math.sqrt(fanIn(shape)), shape);
    }

    /** U(−b, b) with b = gain·√(6/(fan_in + fan_out)). */
    public static Tensor xavierUniform(long seed, double gain, int... shape) {
        double bound = gain * Math.sqrt(6.0 / (fanIn(shape) + fanOut(shape)));
        return uniform(seed, -bound, bound, shape);
    }

    /**
     * in·Πk of a weight [out, in, k…].
     *
     * @throws IllegalArgumentException for fewer than 2 dims, where fans are undefined
     */
    public static int fanIn(int... shape) {
        checkFans(shape);
        return Shapes.numel(shape) / shape[0];
    }

    /** out·Πk of a weight [out, in, k…]. */
    public static int fanOut(int... shape) {
        checkFans(shape);
        return Shapes.numel(shape) / shape[1];
    }

    private static void checkFans(int[] shape) {
        if (shape.length < 2) throw new IllegalArgumentException("init: fan in/out need a weight of at least 2 dims, got " + Shapes.str(shape));
    }
}
