package dev.lethe.ops;

import dev.lethe.autograd.Autograd;
import dev.lethe.autograd.NoGrad;
import dev.lethe.backend.SoftmaxKernels;
import dev.lethe.tensor.DType;
import dev.lethe.tensor.Tensor;

/**
 * softmax and log-softmax along the last dimension on a device that offers {@link
 * SoftmaxKernels}: the forward is the device's row kernel, the backward is composed from the
 * output y:
 * <pre>
 *   softmax:     ∂L/∂x = y ⊙ (∂L/∂y − Σ_dim ∂L/∂y ⊙ y)
 *   log-softmax: ∂L/∂x = ∂L/∂y − e^y ⊙ Σ_dim ∂L/∂y
 * </pre>
 * One graph node and one kernel forward, where the composition runs six ops (seven for
 * softmax); the backward is still a few ops. The values equal the composition's within float32
 * rounding. Elsewhere (the CPU, float64, another dimension, an empty row, a
 * device without the kernels) {@link #onDevice} declines and the composition runs.
 */
final class SoftmaxRows {
    private SoftmaxRows() {}

    /** The fused node for x along {@code dim} (resolved), or null where it does not apply. */
    static Tensor onDevice(Tensor x, int dim, boolean log) {
        if (x.device().isCpu() || x.dtype() != DType.FLOAT32 || dim != x.dim() - 1 || x.size(dim) == 0) return null;
        SoftmaxKernels kernels = x.backend().softmaxKernels();
        if (kernels == null) return null;
        int c = x.size(dim), rows = x.numel() / c;
        Tensor y;
        try (NoGrad off = NoGrad.enter()) { // the forward records nothing; the node below does
            y = kernels.rows(Contiguous.dense(x).reshape(rows, c), log).reshape(x.shape());
        }
        int[] d = {dim};
        return Autograd.record(log ? "logSoftmax" : "softmax", y, new Tensor[] {x}, new Tensor[] {y}, g -> new Tensor[] {
                log ? g.sub(y.exp().mul(g.sum(d, true))) : y.mul(g.sub(g.mul(y).sum(d, true)))});
    }
}
