package dev.lethe.ops;

import dev.lethe.autograd.Autograd;
import dev.lethe.tensor.DType;
import dev.lethe.tensor.Tensor;

/**
 * to(dtype): y = x converted to another dtype (rounded to nearest when narrowing).
 * <p>∂L/∂x = ∂L/∂y converted back to x's dtype.
 */
public final class Cast {
    private Cast() {}

    public static Tensor apply(Tensor x, DType dtype) {
        Tensor y = x.backend().cast(x, dtype);
        DType from = x.dtype();
        return Autograd.record("to", y, new Tensor[] {x}, g -> new Tensor[] {g.to(from)});
    }
}
