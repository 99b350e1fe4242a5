package dev.lethe.check;

import dev.lethe.tensor.DType;
import dev.lethe.tensor.Shapes;
import dev.lethe.tensor.Tensor;

import java.util.Arrays;

/**
 * Runs an op-table sample on float32 inputs (the SIMD CPU path) and on its float64 inputs
 * (the reference) and compares them. Element i passes when
 * |float32ᵢ − float64ᵢ| ≤ 1e-5·max(1, maxⱼ|float64ⱼ|) + 1e-5·|float64ᵢ|: float32 rounding
 * relative to the output's scale, so sums of many terms are not held to per-element precision.
 */
public final class Float32Check {
    /** Relative tolerance against the output's scale and against each element. */
    public static final double TOL = 1e-5;

    /**
     * The outcome of one comparison.
     *
     * @param maxAbsError  the worst |float32 − float64| over all elements (NaN if none was compared)
     * @param passed       true when dtype, shape and every element agree
     * @param firstFailure what went wrong first, or null
     */
    public record Result(double maxAbsError, boolean passed, String firstFailure) {}

    private Float32Check() {}

    /** Compares the sample's float32 result with its float64 result. */
    public static Result check(OpInfo.Sample s) {
        Tensor ref = s.fn().apply(s.inputs());
        Tensor[] f32 = new Tensor[s.inputs().length];
        for (int i = 0; i < f32.length; i++) f32[i] = s.inputs()[i].to(DType.FLOAT32);
        Tensor fast = s.fn().apply(f32);
        if (fast.dtype() != DType.FLOAT32) {
            return new Result(Double.NaN, false, "float32 inputs gave a " + fast.dtype() + " result");
        }
        if (!Arrays.equals(ref.shape(), fast.shape())) {
            return new Result(Double.NaN, false, "float32 result has shape " + Shapes.str(fast.shape())
                    + ", float64 result " + Shapes.str(ref.shape()));
        }
        double[] want = ref.toDoubleArray(), got = fast.toDoubleArray();
        double scale = 0;
        for (double w : want) scale = Math.max(scale, Math.abs(w));
        double worst = 0;
        String failure = null;
        for (int i = 0; i < want.length; i++) {
            double err = Math.abs(got[i] - want[i]);
            if (!(err <= worst)) worst = err; // also catches NaN
            double tol = TOL * Math.max(1, scale) + TOL * Math.abs(want[i]);
            if (!(err <= tol) && failure == null) {
                failure = "element " + i + ": float64 " + want[i] + ", float32 " + got[i] + ", tolerance " + tol;
            }
        }
        return new Result(worst, failure == null, failure);
    }
}
