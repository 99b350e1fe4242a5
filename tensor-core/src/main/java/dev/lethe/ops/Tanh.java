package dev.lethe.ops;

import dev.lethe.autograd.Autograd;
import dev.lethe.backend.UnaryOp;
import dev.lethe.tensor.Tensor;

/**
 * tanh: y = tanh x.
 * <p>∂L/∂x = ∂L/∂y ⊙ (1 − y²).
 */
public final class Tanh {
    private Tanh() {}

    public static Tensor apply(Tensor x) {
        Tensor y = Elementwise.unary(UnaryOp.TANH, x);
        return Autograd.record("tanh", y, new Tensor[] {x}, new Tensor[] {y},
                g -> new Tensor[] {g.mul(y.mul(y).mul(-1.0).add(1.0))});
    }
}
