package dev.lethe.cpu;

import dev.lethe.backend.UnaryOp;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;
import java.util.function.DoubleUnaryOperator;

import static org.junit.jupiter.api.Assertions.*;

/**
 * {@link VectorMath} through the float32 row kernel (vector body and scalar tail) at the
 * width this JVM runs: error in ulp against the float64 {@code Math} forms over dense sweeps
 * of the float line, the special values, and vector lanes equal to the scalar form bit for bit.
 */
@Tag("kernels")
class VectorMathTest {
    /** Points per sweep: about every 2¹⁴-th float of exp's whole domain. */
    private static final int SWEEP = 100_003;

    /** Floats spread evenly (in bit order, so every binade alike) over [lo, hi], both included. */
    static float[] floatsBetween(float lo, float hi, int count) {
        long a = orderedKey(lo), b = orderedKey(hi);
        float[] x = new float[count];
        for (int i = 0; i < count; i++) x[i] = fromOrderedKey(a + (b - a) * i / (count - 1));
        return x;
    }

    private static long orderedKey(float f) {
        int bits = Float.floatToRawIntBits(f);
        return bits >= 0 ? bits : -(long) (bits & 0x7fffffff);
    }

    private static float fromOrderedKey(long key) {
        return key >= 0 ? Float.intBitsToFloat((int) key) : -Float.intBitsToFloat((int) -key);
    }

    /** The kernel row over all of {@code x}: vector body, then the scalar tail. */
    static float[] row(UnaryOp op, float[] x) {
        float[] out = new float[x.length];
        ElementwiseKernels.unaryRow(op, 0, 0, x.length, out, 0, 1, x, 0, 1);
        return out;
    }

    /** |got − want| in ulp of the float nearest {@code want} (subnormal ulp below 2⁻¹²⁶); NaN/∞ must match exactly. */
    static double ulps(float got, double want) {
        float w = (float) want;
        if (Float.isNaN(w) || Float.isInfinite(w) || Float.isNaN(got) || Float.isInfinite(got)) {
            return Float.compare(w, got) == 0 ? 0 : Double.POSITIVE_INFINITY;
        }
        return Math.abs(got - want) / Math.ulp(Math.abs(w));
    }

    /** The scalar form of each transcendental in {@link VectorMath}. */
    private static float scalar(UnaryOp op, float x) {
        return switch (op) {
            case EXP -> VectorMath.exp(x);
            case LOG -> VectorMath.log(x);
            case TANH -> VectorMath.tanh(x);
            case SIGMOID -> VectorMath.sigmoid(x);
            case GELU -> VectorMath.gelu(x);
            case GELU_GRAD -> VectorMath.geluGrad(x);
            default -> throw new IllegalArgumentException(op.toString());
        };
    }

    /** Runs the row and asserts every element equals the scalar form bit for bit; returns the row. */
    private static float[] rowEqualToScalar(UnaryOp op, float[] x) {
        float[] y = row(op, x);
        for (int i = 0; i < x.length; i++) {
            float s = scalar(op, x[i]);
            if (Float.floatToRawIntBits(s) != Float.floatToRawIntBits(y[i])) {
                fail(op + "(" + x[i] + "): kernel element " + i + " is " + y[i] + " but the scalar form gives " + s);
            }
        }
        return y;
    }

    private static void sweep(UnaryOp op, DoubleUnaryOperator ref, float lo, float hi, double maxUlp) {
        float[] x = floatsBetween(lo, hi, SWEEP);
        float[] y = rowEqualToScalar(op, x);
        double worst = 0;
        float at = Float.NaN;
        for (int i = 0; i < x.length; i++) {
            double e = ulps(y[i], ref.applyAsDouble(x[i]));
            if (!(e <= worst)) {
                worst = e;
                at = x[i];
            }
        }
        assertTrue(worst <= maxUlp, op + " on [" + lo + ", " + hi + "]: " + worst + " ulp at x = " + at + " > " + maxUlp);
    }

    @Test
    void expWithinOneUlpOverItsWholeRangeSubnormalsIncluded() {
        sweep(UnaryOp.EXP, Math::exp, -104f, 89f, 1.0);
        sweep(UnaryOp.EXP, Math::exp, -104f, -87f, 1.0);
        sweep(UnaryOp.EXP, Math::exp, -1f, 1f, 1.0);
    }

    @Test
    void logWithinOneUlpFromSubnormalsToMax() {
        sweep(UnaryOp.LOG, Math::log, Float.MIN_VALUE, Float.MAX_VALUE, 1.0);
        sweep(UnaryOp.LOG, Math::log, 0.5f, 2f, 1.0);
    }

    @Test
    void tanhWithinOneAndAHalfUlp() {
        sweep(UnaryOp.TANH, Math::tanh, -12f, 12f, 1.5);
        sweep(UnaryOp.TANH, Math::tanh, -1f, 1f, 1.5);
    }

    @Test
    void sigmoidWithinTwoAndAHalfUlpIntoTheSubnormalTail() {
        sweep(UnaryOp.SIGMOID, x -> 1 / (1 + Math.exp(-x)), -104f, 30f, 2.5);
        sweep(UnaryOp.SIGMOID, x -> 1 / (1 + Math.exp(-x)), -4f, 4f, 2.5);
    }

    /** GELU = x·σ(2u), u = √(2/π)(x + 0.044715x³), in float64 without the tanh form's cancellation. */
    private static double geluExact(double x) {
        return x / (1 + Math.exp(-2 * UnaryOp.GELU_C * (x + 0.044715 * x * x * x)));
    }

    @Test
    void geluWithinTwoUlpForPositiveInputsAndConditionBoundedBelow() {
        sweep(UnaryOp.GELU, VectorMathTest::geluExact, 0f, 12f, 2.0);
        // For x < 0 GELU ≈ x·e^{2u} is ill-conditioned: rounding the float argument 2u costs
        // about |2u| ulp, so the bound grows with it (about 13 ulp at x = −3, 190 at x = −10).
        float[] x = floatsBetween(-10f, 0f, SWEEP);
        float[] y = rowEqualToScalar(UnaryOp.GELU, x);
        for (int i = 0; i < x.length; i++) {
            double twoU = 2 * UnaryOp.GELU_C * (x[i] + 0.044715 * x[i] * x[i] * x[i]);
            double e = ulps(y[i], geluExact(x[i]));
            assertTrue(e <= 3 + 3 * Math.abs(twoU), "GELU(" + x[i] + ") is " + e + " ulp off");
        }
    }

    @Test
    void geluGradWithinThreeUlpForPositiveInputsAndTwoTenMillionthsEverywhere() {
        DoubleUnaryOperator ref = x -> UnaryOp.GELU_GRAD.apply(x, 0, 0);
        sweep(UnaryOp.GELU_GRAD, ref, 1e-3f, 12f, 3.0);
        // Below 0 the two terms cancel (the derivative crosses 0 near x = −0.75): absolute error.
        float[] x = floatsBetween(-12f, 12f, SWEEP);
        float[] y = rowEqualToScalar(UnaryOp.GELU_GRAD, x);
        for (int i = 0; i < x.length; i++) {
            assertEquals(ref.applyAsDouble(x[i]), y[i], 2e-7, "GELU'(" + x[i] + ")");
        }
    }

    // ------------------------------------------------------------------ special values

    /** Each (input, expected) pair at a vector lane and in the tail: the row is 3 lanes + 5 long. */
    private static void special(UnaryOp op, float... pairs) {
        int lanes = Simd.lanes();
        for (int k = 0; k < pairs.length; k += 2) {
            float[] x = new float[3 * lanes + 5];
            java.util.Arrays.fill(x, 0.5f);
            x[lanes + 1] = pairs[k];
            x[x.length - 2] = pairs[k];
            float[] y = rowEqualToScalar(op, x);
            for (int i : new int[] {lanes + 1, x.length - 2}) {
                assertEquals(Float.floatToIntBits(pairs[k + 1]), Float.floatToIntBits(y[i]),
                        op + "(" + pairs[k] + ") at element " + i + " is " + y[i] + ", expected " + pairs[k + 1]);
            }
        }
    }

    private static final float NAN = Float.NaN, INF = Float.POSITIVE_INFINITY;

    @Test
    void expSpecialValues() {
        // Values near the overflow and underflow thresholds are in the sweeps, to 1 ulp.
        special(UnaryOp.EXP, NAN, NAN, INF, INF, -INF, 0f, 0f, 1f, -0f, 1f, Float.MIN_VALUE, 1f,
                88.73f, INF, 1000f, INF, -104f, 0f, -1000f, 0f,
                // Either side of the bounds past which the result is set rather than computed.
                89f, INF, Math.nextUp(89f), INF, Math.nextDown(-104f), 0f, -Float.MAX_VALUE, 0f, Float.MAX_VALUE, INF);
    }

    @Test
    void logSpecialValues() {
        special(UnaryOp.LOG, NAN, NAN, INF, INF, -INF, NAN, -1f, NAN, -Float.MIN_VALUE, NAN,
                0f, -INF, -0f, -INF, 1f, 0f);
    }

    @Test
    void tanhSpecialValues() {
        special(UnaryOp.TANH, NAN, NAN, INF, 1f, -INF, -1f, 0f, 0f, -0f, -0f, 20f, 1f, -20f, -1f,
                Float.MIN_VALUE, Float.MIN_VALUE, -1e-30f, -1e-30f);
    }

    @Test
    void sigmoidSpecialValues() {
        special(UnaryOp.SIGMOID, NAN, NAN, INF, 1f, -INF, 0f, 0f, 0.5f, -0f, 0.5f, 20f, 1f,
                -100f, (float) (1 / (1 + Math.exp(100))), -200f, 0f);
    }

    @Test
    void geluSpecialValuesFollowTheFormula() {
        special(UnaryOp.GELU, NAN, NAN, INF, INF, -INF, NAN, 0f, 0f, 50f, 50f, -50f, -0f);
        special(UnaryOp.GELU_GRAD, NAN, NAN, INF, NAN, -INF, NAN, 0f, 0.5f, 50f, 1f, -50f, 0f);
    }

    // ------------------------------------------------------------------ vector == scalar

    /**
     * Every float with 86 ≤ |x| ≤ 89, in order (so vectors straddle |x| = 87, where exp
     * changes how it scales by 2ⁿ, and the subnormal and overflow edges), then each of them
     * between two ordinary values: the same bits as the scalar form.
     */
    @Test
    void expLanesEqualTheScalarFormAcrossItsScalingBoundary() {
        for (float sign : new float[] {1f, -1f}) {
            int from = Float.floatToRawIntBits(86f), to = Float.floatToRawIntBits(89f);
            float[] x = new float[to - from + 1];
            for (int i = 0; i < x.length; i++) x[i] = sign * Float.intBitsToFloat(from + i);
            rowEqualToScalar(UnaryOp.EXP, x);
            float[] mixed = new float[3 * x.length];
            for (int i = 0; i < x.length; i++) {
                mixed[3 * i] = -0.25f;
                mixed[3 * i + 1] = x[i];
                mixed[3 * i + 2] = 3f;
            }
            rowEqualToScalar(UnaryOp.EXP, mixed);
        }
    }

    @Test
    void vectorLanesEqualTheScalarFormOnRandomRowsOfOddLengths() {
        SplittableRandom rnd = new SplittableRandom(42);
        UnaryOp[] ops = {UnaryOp.EXP, UnaryOp.LOG, UnaryOp.TANH, UnaryOp.SIGMOID, UnaryOp.GELU, UnaryOp.GELU_GRAD};
        for (int n : new int[] {1, 3, 7, 15, 17, 33, 65, 1001, 10_007}) {
            float[] x = new float[n];
            for (int i = 0; i < n; i++) {
                // Mostly moderate values, some huge, tiny or negative ones for every branch.
                double scale = switch (i % 4) { case 0 -> 1; case 1 -> 10; case 2 -> 100; default -> 1e-30; };
                x[i] = (float) (rnd.nextGaussian() * scale);
            }
            for (UnaryOp op : ops) rowEqualToScalar(op, x);
            float[] positive = new float[n];
            for (int i = 0; i < n; i++) positive[i] = Math.abs(x[i]);
            rowEqualToScalar(UnaryOp.LOG, positive);
        }
    }
}
