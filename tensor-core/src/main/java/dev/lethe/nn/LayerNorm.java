package dev.lethe.nn;

import dev.lethe.tensor.Tensor;

/**
 * Layer normalisation over the trailing {@code normalizedShape} dims with elementwise affine
 * γ (ones) and β (zeros), ε = 1e-5 (see {@link dev.lethe.ops.LayerNorm}).
 */
public final class LayerNorm extends Module {
    private final int[] normalizedShape;
    private final Parameter weight, bias;

    public LayerNorm(int... normalizedShape) {
        this.normalizedShape = normalizedShape.clone();
        weight = registerParameter("weight", Init.ones(normalizedShape));
        bias = registerParameter("bias", Init.zeros(normalizedShape));
    }

    @Override
    public Tensor forward(Tensor x) {
        return x.layerNorm(normalizedShape, weight.value(), bias.value());
    }
}
