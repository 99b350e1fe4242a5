package dev.lethe.ops;

import dev.lethe.autograd.Autograd;
import dev.lethe.tensor.Shapes;
import dev.lethe.tensor.Tensor;

/**
 * reshape: the same elements in row-major order under a new shape (one size may be −1).
 * A view when the data is contiguous, otherwise a copy.
 * <p>∂L/∂x = reshape(∂L/∂y, shape(x)).
 */
public final class Reshape {
    private Reshape() {}

    public static Tensor apply(Tensor x, int... shape) {
        int[] target = Shapes.inferReshape("reshape", x.shape(), shape);
        Tensor src = x.isContiguous() ? x : x.backend().cast(x, x.dtype());
        Tensor y = Tensor.wrap(src.storage(), target, Shapes.contiguousStrides(target), src.offset());
        int[] from = x.shape();
        return Autograd.record("reshape", y, new Tensor[] {x}, g -> new Tensor[] {g.reshape(from)});
    }
}
