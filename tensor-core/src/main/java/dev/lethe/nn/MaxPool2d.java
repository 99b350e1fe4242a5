package dev.lethe.nn;

import dev.lethe.tensor.Tensor;

/** Max over k×k windows at {@code stride} of [N, C, H, W] (see {@link dev.lethe.ops.MaxPool2d}). */
public final class MaxPool2d extends Module {
    private final int kernel, stride;

    /** Stride = kernel. */
    public MaxPool2d(int kernel) {
        this(kernel, kernel);
    }

    public MaxPool2d(int kernel, int stride) {
        this.kernel = kernel;
        this.stride = stride;
    }

    @Override
    public Tensor forward(Tensor x) {
        return x.maxPool2d(kernel, stride);
    }

    /** Whether its windows do not overlap (stride = kernel), so {@link #forwardAfterRelu} applies. */
    boolean nonOverlapping() {
        return stride == kernel;
    }

    /** The window's side. */
    int kernel() {
        return kernel;
    }

    /** forward(relu(x)) as one fused op ({@link dev.lethe.ops.MaxPool2d#afterRelu}); windows must not overlap. */
    Tensor forwardAfterRelu(Tensor x) {
        return dev.lethe.ops.MaxPool2d.afterRelu(x, kernel);
    }
}
