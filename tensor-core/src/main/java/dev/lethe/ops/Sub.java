package dev.lethe.ops;

import dev.lethe.autograd.Autograd;
import dev.lethe.backend.BinaryOp;
import dev.lethe.tensor.Tensor;

/**
 * sub: z = a − b, broadcast.
 * <p>∂L/∂a = ∂L/∂z, ∂L/∂b = −∂L/∂z.
 */
public final class Sub {
    private Sub() {}

    public static Tensor apply(Tensor a, Tensor b) {
        Tensor z = Elementwise.binary("sub", BinaryOp.SUB, a, b);
        return Autograd.record("sub", z, new Tensor[] {a, b}, g -> new Tensor[] {g, b.requiresGrad() ? g.neg() : null});
    }
}
