package dev.lethe.ops;

import dev.lethe.autograd.Autograd;
import dev.lethe.backend.BinaryOp;
import dev.lethe.tensor.Tensor;

/**
 * div: z = a / b, broadcast.
 * <p>∂L/∂a = ∂L/∂z / b, ∂L/∂b = −∂L/∂z ⊙ a / b² = −∂L/∂z ⊙ z / b.
 */
public final class Div {
    private Div() {}

    public static Tensor apply(Tensor a, Tensor b) {
        Tensor z = Elementwise.binary("div", BinaryOp.DIV, a, b);
        return Autograd.record("div", z, new Tensor[] {a, b}, new Tensor[] {b, z}, g -> new Tensor[] {
            a.requiresGrad() ? g.div(b) : null,
            b.requiresGrad() ? g.mul(z).div(b).neg() : null});
    }
}
