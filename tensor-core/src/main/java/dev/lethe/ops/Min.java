package dev.lethe.ops;

import dev.lethe.backend.ReduceOp;
import dev.lethe.tensor.Tensor;

/**
 * min over dims: y = min_{reduced dims} x.
 * <p>∂L/∂x = ∂L/∂y spread evenly over the elements equal to the minimum.
 */
public final class Min {
    private Min() {}

    public static Tensor apply(Tensor x, int[] dims, boolean keepDim) {
        return Max.extremum("min", ReduceOp.MIN, x, dims, keepDim);
    }
}
