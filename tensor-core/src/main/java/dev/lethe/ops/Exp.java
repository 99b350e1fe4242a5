package dev.lethe.ops;

import dev.lethe.autograd.Autograd;
import dev.lethe.backend.UnaryOp;
import dev.lethe.tensor.Tensor;

/**
 * exp: y = eˣ.
 * <p>∂L/∂x = ∂L/∂y ⊙ eˣ = ∂L/∂y ⊙ y.
 */
public final class Exp {
    private Exp() {}

    public static Tensor apply(Tensor x) {
        Tensor y = Elementwise.unary(UnaryOp.EXP, x);
        return Autograd.record("exp", y, new Tensor[] {x}, new Tensor[] {y}, g -> new Tensor[] {g.mul(y)});
    }
}
