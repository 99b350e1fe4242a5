package dev.lethe.ops;

import dev.lethe.autograd.Autograd;
import dev.lethe.tensor.DType;
import dev.lethe.tensor.Tensor;

/**
 * contiguous / clone: y = x copied into fresh row-major storage.
 * <p>∂L/∂x = ∂L/∂y.
 */
public final class Contiguous {
    private Contiguous() {}

    public static Tensor apply(Tensor x) {
        Tensor y = x.backend().cast(x, x.dtype());
        return Autograd.record("contiguous", y, new Tensor[] {x}, g -> new Tensor[] {g});
    }

    /**
     * t itself when it is row-major from its offset, else a float32 row-major copy, outside the
     * graph: what the float32 kernels read (the caller records the node).
     */
    static Tensor dense(Tensor t) {
        return t.isContiguous() ? t : t.backend().cast(t, DType.FLOAT32);
    }
}
