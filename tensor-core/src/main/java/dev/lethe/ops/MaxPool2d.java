package dev.lethe.ops;

import dev.lethe.tensor.Tensor;

/**
 * maxPool2d without padding: out[n, c, y, x] = max_{i,j < k} x[n, c, y·s + i, x·s + j] for
 * x [N, C, H, W], shape [N, C, ⌊(H − k)/s⌋ + 1, ⌊(W − k)/s⌋ + 1]. Composed from
 * {@link Unfold} and {@link Max}: ∂L/∂x routes each output's gradient to its window's
 * maximum (summed where windows overlap).
 */
public final class MaxPool2d {
    private MaxPool2d() {}

    /** Non-overlapping k×k windows (stride k). */
    public static Tensor apply(Tensor x, int k) {
        return apply(x, k, k);
    }

    /** @throws IllegalArgumentException on a non-4-D input or a window that does not fit */
    public static Tensor apply(Tensor x, int k, int stride) {
        Tensor windows = Pooling.windows("maxPool2d", x, k, stride);
        return Pooling.restore(windows.max(new int[] {1}, false), x, k, stride);
    }
}
