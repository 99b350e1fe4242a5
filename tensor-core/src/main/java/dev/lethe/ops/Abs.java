package dev.lethe.ops;

import dev.lethe.autograd.Autograd;
import dev.lethe.backend.UnaryOp;
import dev.lethe.tensor.Tensor;

/**
 * abs: y = |x|.
 * <p>∂L/∂x = ∂L/∂y ⊙ sign(x), taking 0 at x = 0 (as PyTorch does).
 */
public final class Abs {
    private Abs() {}

    public static Tensor apply(Tensor x) {
        Tensor y = Elementwise.unary(UnaryOp.ABS, x);
        return Autograd.record("abs", y, new Tensor[] {x}, new Tensor[] {x},
                g -> new Tensor[] {g.mul(Elementwise.unary(UnaryOp.SIGN, x))});
    }
}
