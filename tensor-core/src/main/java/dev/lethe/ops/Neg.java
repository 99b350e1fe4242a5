package dev.lethe.ops;

import dev.lethe.autograd.Autograd;
import dev.lethe.backend.UnaryOp;
import dev.lethe.tensor.Tensor;

/**
 * neg: y = −x.
 * <p>∂L/∂x = −∂L/∂y.
 */
public final class Neg {
    private Neg() {}

    public static Tensor apply(Tensor x) {
        Tensor y = Elementwise.unary(UnaryOp.NEG, x);
        return Autograd.record("neg", y, new Tensor[] {x}, g -> new Tensor[] {g.neg()});
    }
}
