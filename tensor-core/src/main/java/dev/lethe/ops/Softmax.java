package dev.lethe.ops;

import dev.lethe.tensor.Shapes;
import dev.lethe.tensor.Tensor;

/**
 * softmax along {@code dim}: yᵢ = e^(xᵢ) / Σ_dim e^(xⱼ), computed as exp(logSoftmax(x)) so
 * large inputs do not overflow. Composed; ∂L/∂x = y ⊙ (∂L/∂y − Σ_dim ∂L/∂y ⊙ y).
 */
public final class Softmax {
    private Softmax() {}

    /** @throws IllegalArgumentException if dim is out of range */
    public static Tensor apply(Tensor x, int dim) {
        Shapes.dim("softmax", dim, x.shape());
        return LogSoftmax.apply(x, dim).exp();
    }
}
