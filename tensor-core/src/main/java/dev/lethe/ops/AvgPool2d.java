package dev.lethe.ops;

import dev.lethe.tensor.Tensor;

/**
 * avgPool2d without padding: out[n, c, y, x] = (1/k²)·Σ_{i,j < k} x[n, c, y·s + i, x·s + j] for
 * x [N, C, H, W], shape [N, C, ⌊(H − k)/s⌋ + 1, ⌊(W − k)/s⌋ + 1]. Composed from
 * {@link Unfold} and {@link Mean}: ∂L/∂x spreads each output's gradient evenly (1/k²) over
 * its window.
 */
public final class AvgPool2d {
    private AvgPool2d() {}

    /** Non-overlapping k×k windows (stride k). */
    public static Tensor apply(Tensor x, int k) {
        return apply(x, k, k);
    }

    /** @throws IllegalArgumentException on a non-4-D input or a window that does not fit */
    public static Tensor apply(Tensor x, int k, int stride) {
        Tensor windows = Pooling.windows("avgPool2d", x, k, stride);
        return Pooling.restore(windows.mean(new int[] {1}, false), x, k, stride);
    }
}
