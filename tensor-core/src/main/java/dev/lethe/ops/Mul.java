package dev.lethe.ops;

import dev.lethe.autograd.Autograd;
import dev.lethe.backend.BinaryOp;
import dev.lethe.tensor.Tensor;

/**
 * mul: z = a ⊙ b, broadcast.
 * <p>∂L/∂a = ∂L/∂z ⊙ b, ∂L/∂b = ∂L/∂z ⊙ a.
 */
public final class Mul {
    private Mul() {}

    public static Tensor apply(Tensor a, Tensor b) {
        Tensor z = Elementwise.binary("mul", BinaryOp.MUL, a, b);
        return Autograd.record("mul", z, new Tensor[] {a, b}, new Tensor[] {a, b},
                g -> new Tensor[] {a.requiresGrad() ? g.mul(b) : null, b.requiresGrad() ? g.mul(a) : null});
    }
}
