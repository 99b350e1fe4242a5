package dev.lethe.backend;

import dev.lethe.tensor.Tensor;

/**
 * A fused softmax cross-entropy a device may offer ({@link Backend#crossEntropyKernels()}):
 * one kernel for the forward and one for the backward in place of the composed log-softmax,
 * gather and mean (a dozen kernels each way). Logits are contiguous float32 [n, c] on the
 * device; targets tᵢ ∈ [0, c) are checked by the caller. With m the row's maximum and
 * s = Σⱼ e^(x_j − m), p = softmax(x):
 * <pre>
 *   lossᵢ = (1−ε)·(ln s − (x_{i,tᵢ} − m)) + ε·(ln s − meanⱼ(x_{i,j} − m))
 *   ∂lossᵢ/∂x_{i,j} = p_{i,j} − (1−ε)·[j = tᵢ] − ε/c
 * </pre>
 * the formulas of {@link dev.lethe.ops.CrossEntropy}, equal to the CPU's within float32
 * rounding (the device sums in its own order).
 */
public interface CrossEntropyKernels {
    /**
     * The per-row losses [n] and, when {@code keepProbs}, the softmax [n, c] the backward
     * reads: {losses, probs or null}, both on the device.
     */
    Tensor[] forward(Tensor logits, int[] targets, double labelSmoothing, boolean keepProbs);

    /**
     * ∂logits [n, c] = (p − (1−ε)[j = tᵢ] − ε/c)·gᵢ·scale, where g is the gradient of the
     * losses: [n], or one value for every row (a reduced loss).
     */
    Tensor backward(Tensor probs, int[] targets, double labelSmoothing, Tensor g, float scale);
}
