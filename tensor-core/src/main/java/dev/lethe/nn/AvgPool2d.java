package dev.lethe.nn;

import dev.lethe.tensor.Tensor;

/** Mean over k×k windows at {@code stride} of [N, C, H, W] (see {@link dev.lethe.ops.AvgPool2d}). */
public final class AvgPool2d extends Module {
    private final int kernel, stride;

    /** Stride = kernel. */
    public AvgPool2d(int kernel) {
        this(kernel, kernel);
    }

    public AvgPool2d(int kernel, int stride) {
        this.kernel = kernel;
        this.stride = stride;
    }

    @Override
    public Tensor forward(Tensor x) {
        return x.avgPool2d(kernel, stride);
    }
}
