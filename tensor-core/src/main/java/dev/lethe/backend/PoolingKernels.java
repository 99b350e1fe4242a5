package dev.lethe.backend;

import dev.lethe.tensor.Tensor;

/**
 * Max pooling with arg-max routing a device may offer ({@link Backend#poolingKernels()}): one
 * kernel each way in place of the composed unfold, max and their backwards. For contiguous
 * float32 x [N, C, H, W] on the device, no padding, oh = ⌊(H − k)/s⌋ + 1 (ow likewise):
 * <pre>
 *   out[n, c, y, x] = max_{i,j < k} x[n, c, y·s + i, x·s + j]
 *   ∂x[n, c, a, b]  = Σ over windows (y, x) whose arg-max is (a, b) of g[n, c, y, x]
 * </pre>
 * with the CPU kernel's rule for the arg-max ({@link dev.lethe.cpu.MaxPoolKernel}): the first
 * maximum in row-major window order, a NaN over any number. The results equal the CPU's bit for
 * bit (a maximum is exact; overlapping windows sum in the CPU's order).
 */
public interface PoolingKernels {
    /** A forward's output, and whatever the backward needs (the arg-maxes, on the device). */
    interface MaxPool {
        Tensor output();
    }

    /** The forward of {@code x}, contiguous float32 [N, C, H, W]; the window fits (checked by the caller). */
    MaxPool maxPool2d(Tensor x, int k, int stride);

    /** ∂x, of {@code forward}'s input shape, for {@code g} contiguous of its output's shape. */
    Tensor maxPool2dBackward(MaxPool forward, Tensor g);
}
