package dev.lethe.ops;

import dev.lethe.tensor.Shapes;
import dev.lethe.tensor.Tensor;

import java.util.Arrays;

/**
 * layerNorm over the last dims (those of {@code normalizedShape}), as PyTorch:
 * y = (x − μ)/√(σ² + ε) ⊙ weight + bias, with μ the mean and σ² the biased variance
 * (1/n)·Σ(x − μ)² over those dims. Composed (1/√· as exp(−½·ln ·)), so the gradient follows
 * from mean, sub, mul, log and exp.
 */
public final class LayerNorm {
    /** PyTorch's default ε. */
    public static final double DEFAULT_EPS = 1e-5;

    private LayerNorm() {}

    /** With ε = 1e-5. */
    public static Tensor apply(Tensor x, int[] normalizedShape, Tensor weight, Tensor bias) {
        return apply(x, normalizedShape, weight, bias, DEFAULT_EPS);
    }

    /**
     * @param weight elementwise scale of shape normalizedShape, or null for none
     * @param bias   elementwise shift of shape normalizedShape, or null for none
     * @throws IllegalArgumentException if normalizedShape is empty or not x's trailing shape,
     *         weight or bias has another shape or dtype, or ε ≤ 0
     */
    public static Tensor apply(Tensor x, int[] normalizedShape, Tensor weight, Tensor bias, double eps) {
        int[] shape = x.shape();
        int k = normalizedShape.length, lead = shape.length - k;
        if (k == 0 || lead < 0 || !Arrays.equals(Arrays.copyOfRange(shape, lead, shape.length), normalizedShape)) {
            throw new IllegalArgumentException("layerNorm: normalizedShape " + Shapes.str(normalizedShape)
                    + " is not the trailing shape of input " + Shapes.str(shape));
        }
        if (!(eps > 0)) throw new IllegalArgumentException("layerNorm: eps must be positive, got " + eps);
        checkAffine("weight", weight, x, normalizedShape);
        checkAffine("bias", bias, x, normalizedShape);
        int[] dims = new int[k];
        for (int i = 0; i < k; i++) dims[i] = lead + i;
        Tensor centred = x.sub(x.mean(dims, true));
        Tensor variance = centred.mul(centred).mean(dims, true);
        Tensor y = centred.mul(variance.add(eps).log().mul(-0.5).exp());
        if (weight != null) y = y.mul(weight);
        return bias == null ? y : y.add(bias);
    }

    private static void checkAffine(String what, Tensor t, Tensor x, int[] normalizedShape) {
        if (t == null) return;
        OpChecks.sameDtype("layerNorm", x, t);
        if (!Arrays.equals(t.shape(), normalizedShape)) {
            throw new IllegalArgumentException("layerNorm: " + what + " has shape " + Shapes.str(t.shape()) + ", expected normalizedShape "
                    + Shapes.str(normalizedShape));
        }
    }
}
