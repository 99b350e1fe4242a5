package dev.lethe.ops;

import dev.lethe.tensor.Shapes;
import dev.lethe.tensor.Tensor;

/**
 * mean over dims: y = (1/n)·Σ_{reduced dims} x, n the number of reduced elements. Composed
 * from sum and a scale, so its gradient is ∂L/∂x = ∂L/∂y / n broadcast back.
 */
public final class Mean {
    private Mean() {}

    public static Tensor apply(Tensor x, int[] dims, boolean keepDim) {
        int[] shape = x.shape();
        int[] resolved = Shapes.dims("mean", dims, shape);
        long n = 1;
        for (int d : resolved) n *= shape[d];
        if (n == 0) throw new IllegalArgumentException("mean: no elements to average over dims of shape " + Shapes.str(shape));
        return x.sum(resolved, keepDim).mul(1.0 / n);
    }
}
