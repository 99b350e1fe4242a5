package dev.lethe.ops;

import dev.lethe.tensor.Shapes;
import dev.lethe.tensor.Tensor;

/**
 * softmax along {@code dim}: yᵢ = e^(xᵢ) / Σ_dim e^(xⱼ), computed as exp(logSoftmax(x)) so
 * large inputs do not overflow. Composed; ∂L/∂x = y ⊙ (∂L/∂y − Σ_dim ∂L/∂y ⊙ y). Along the
 * last dimension of a float32 tensor on a device with {@link dev.lethe.backend.SoftmaxKernels},
 * one fused node ({@link SoftmaxRows}).
 */
public final class Softmax {
    private Softmax() {}

    /** @throws IllegalArgumentException if dim is out of range */
    public static Tensor apply(Tensor x, int dim) {
        int d = Shapes.dim("softmax", dim, x.shape());
        Tensor fused = SoftmaxRows.onDevice(x, d, false);
        return fused != null ? fused : LogSoftmax.apply(x, dim).exp();
    }
}
