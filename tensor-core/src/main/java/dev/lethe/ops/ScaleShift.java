package dev.lethe.ops;

import dev.lethe.autograd.Autograd;
import dev.lethe.backend.UnaryOp;
import dev.lethe.tensor.Tensor;

/**
 * Scalar affine map, behind {@code x.mul(c)} and {@code x.add(c)}: y = s·x + t.
 * <p>∂L/∂x = s·∂L/∂y.
 */
public final class ScaleShift {
    private ScaleShift() {}

    public static Tensor apply(Tensor x, double scale, double shift) {
        Tensor y = Elementwise.unary(UnaryOp.SCALE_SHIFT, x, scale, shift);
        return Autograd.record("scale_shift", y, new Tensor[] {x}, g -> new Tensor[] {g.mul(scale)});
    }
}
