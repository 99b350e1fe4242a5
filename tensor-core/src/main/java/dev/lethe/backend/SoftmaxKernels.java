package dev.lethe.backend;

import dev.lethe.tensor.Tensor;

/**
 * Row-wise softmax a device may offer ({@link Backend#softmaxKernels()}): one kernel in place of
 * the composed forward (max, subtract, exp, sum, log, subtract; one exp more for softmax). For contiguous float32 x [rows, c] on
 * the device, with m the row's maximum and s = Σⱼ e^(xⱼ − m):
 * <pre>
 *   softmax:     yⱼ = e^(xⱼ − m) / s
 *   log-softmax: yⱼ = (xⱼ − m) − ln s
 * </pre>
 * equal to the CPU's composition within float32 rounding (the device sums in its own order).
 * The backward is composed from y by the op (see {@code dev.lethe.ops.SoftmaxRows}).
 */
public interface SoftmaxKernels {
    /** softmax ({@code log} false) or log-softmax ({@code log} true) of each row of x [rows, c]. */
    Tensor rows(Tensor x, boolean log);
}
