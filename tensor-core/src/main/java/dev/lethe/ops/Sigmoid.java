package dev.lethe.ops;

import dev.lethe.autograd.Autograd;
import dev.lethe.backend.UnaryOp;
import dev.lethe.tensor.Tensor;

/**
 * sigmoid: y = 1/(1+e⁻ˣ).
 * <p>∂L/∂x = ∂L/∂y ⊙ y(1−y).
 */
public final class Sigmoid {
    private Sigmoid() {}

    public static Tensor apply(Tensor x) {
        Tensor y = Elementwise.unary(UnaryOp.SIGMOID, x);
        return Autograd.record("sigmoid", y, new Tensor[] {x}, new Tensor[] {y},
                g -> new Tensor[] {g.mul(y.sub(y.mul(y)))});
    }
}
