package dev.lethe.ops;

import dev.lethe.autograd.Autograd;
import dev.lethe.backend.BinaryOp;
import dev.lethe.backend.ReduceOp;
import dev.lethe.tensor.Shapes;
import dev.lethe.tensor.Tensor;

/**
 * max over dims: y = max_{reduced dims} x.
 * <p>∂L/∂x = ∂L/∂y spread evenly over the elements equal to the maximum (one element in
 * the usual tie-free case, as PyTorch's {@code amax}): ∂x = g ⊙ [x = y] / #[x = y].
 */
public final class Max {
    private Max() {}

    public static Tensor apply(Tensor x, int[] dims, boolean keepDim) {
        return extremum("max", ReduceOp.MAX, x, dims, keepDim);
    }

    /** Shared by {@link Max} and {@link Min}: the reduction and its tie-splitting backward. */
    static Tensor extremum(String name, ReduceOp op, Tensor x, int[] dims, boolean keepDim) {
        int[] shape = x.shape();
        int[] resolved = Shapes.dims(name, dims, shape);
        if (x.numel() == 0) throw new IllegalArgumentException(name + ": reduction over an empty tensor of shape " + Shapes.str(shape));
        Tensor y = x.backend().reduce(op, x, resolved, keepDim);
        int[] kept = Shapes.reduced(shape, resolved, true);
        return Autograd.record(name, y, new Tensor[] {x}, new Tensor[] {x, y}, g -> {
            Tensor hit = Elementwise.binary(name, BinaryOp.EQ, x, y.reshape(kept));
            Tensor count = hit.sum(resolved, true);
            return new Tensor[] {hit.div(count).mul(g.reshape(kept))};
        });
    }
}
