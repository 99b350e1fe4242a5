package dev.lethe.ops;

import dev.lethe.autograd.Autograd;
import dev.lethe.backend.ReduceOp;
import dev.lethe.tensor.Shapes;
import dev.lethe.tensor.Tensor;

/**
 * sum over dims: y = Σ_{reduced dims} x (all dims when none are given).
 * <p>∂L/∂x = ∂L/∂y broadcast back over the reduced dims.
 */
public final class Sum {
    private Sum() {}

    public static Tensor apply(Tensor x, int[] dims, boolean keepDim) {
        int[] shape = x.shape();
        int[] resolved = Shapes.dims("sum", dims, shape);
        Tensor y = x.backend().reduce(ReduceOp.SUM, x, resolved, keepDim);
        int[] kept = Shapes.reduced(shape, resolved, true);
        return Autograd.record("sum", y, new Tensor[] {x}, g -> new Tensor[] {g.reshape(kept).expand(shape)});
    }
}
