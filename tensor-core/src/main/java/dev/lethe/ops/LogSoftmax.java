package dev.lethe.ops;

import dev.lethe.tensor.Shapes;
import dev.lethe.tensor.Tensor;

/**
 * logSoftmax along {@code dim}: y = x − lse(x), lse(x) = m + ln Σ_dim e^(x − m) with m the
 * (detached) maximum along dim, so no exponent overflows. Composed; its gradient is
 * ∂L/∂x = ∂L/∂y − softmax(x) ⊙ Σ_dim ∂L/∂y. Along the last dimension of a float32 tensor on a
 * device with {@link dev.lethe.backend.SoftmaxKernels}, one fused node ({@link SoftmaxRows}).
 */
public final class LogSoftmax {
    private LogSoftmax() {}

    /** @throws IllegalArgumentException if dim is out of range */
    public static Tensor apply(Tensor x, int dim) {
        int[] d = {Shapes.dim("logSoftmax", dim, x.shape())};
        Tensor fused = SoftmaxRows.onDevice(x, d[0], true);
        if (fused != null) return fused;
        // m only shifts the exponents and cancels in the result, so it carries no gradient.
        Tensor m = x.max(d, true).detach();
        Tensor shifted = x.sub(m);
        return shifted.sub(shifted.exp().sum(d, true).log());
    }
}
