package dev.lethe.ops;

import dev.lethe.tensor.Tensor;

import java.util.Arrays;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

/** What the tests of fused nodes against the nodes they replace share: their inputs and the bitwise comparison. */
final class FusedNodeChecks {
    private FusedNodeChecks() {}

    /** Gaussian values with ties, zeros, negatives and ±0, ±∞, NaN mixed in. */
    static Tensor values(Random rnd, int... shape) {
        int len = Arrays.stream(shape).reduce(1, (a, b) -> a * b);
        float[] v = new float[len];
        float[] special = {Float.NaN, 0f, -0f, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, 1f, -1f};
        for (int i = 0; i < len; i++) {
            int kind = rnd.nextInt(10);
            v[i] = kind == 0 ? special[rnd.nextInt(special.length)]
                    : kind < 4 ? rnd.nextInt(5) - 3         // ties, zeros and negatives
                    : (float) rnd.nextGaussian();
        }
        return Tensor.fromArray(v, shape);
    }

    /** An incoming gradient shaped like {@code out}: Gaussian, with −0 and NaN mixed in. */
    static Tensor gradient(Random rnd, Tensor out) {
        float[] g = new float[out.numel()];
        for (int i = 0; i < g.length; i++) {
            int kind = rnd.nextInt(8);
            g[i] = kind == 0 ? -0f : kind == 1 ? Float.NaN : (float) rnd.nextGaussian();
        }
        return Tensor.fromArray(g, out.shape());
    }

    /**
     * Fails unless {@code got} has {@code want}'s bits, element by element; with {@code
     * anyNaN}, every NaN counts as one (which NaN's payload a fused multiply-add passes on can
     * differ between the interpreter and compiled code).
     */
    static void assertBits(float[] want, float[] got, boolean anyNaN, String what) {
        assertEquals(want.length, got.length, what);
        for (int i = 0; i < want.length; i++) {
            boolean same = anyNaN ? Float.floatToIntBits(want[i]) == Float.floatToIntBits(got[i])
                    : Float.floatToRawIntBits(want[i]) == Float.floatToRawIntBits(got[i]);
            if (!same) fail(what + ": element " + i + " is " + got[i] + ", the unfused nodes give " + want[i]);
        }
    }
}
