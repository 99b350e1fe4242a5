package dev.lethe.ops;

import dev.lethe.autograd.Autograd;
import dev.lethe.backend.UnaryOp;
import dev.lethe.tensor.Tensor;

/**
 * sqrt: y = √x (NaN for x &lt; 0).
 * <p>∂L/∂x = ∂L/∂y / (2√x) = ∂L/∂y / (2y).
 */
public final class Sqrt {
    private Sqrt() {}

    public static Tensor apply(Tensor x) {
        Tensor y = Elementwise.unary(UnaryOp.SQRT, x);
        return Autograd.record("sqrt", y, new Tensor[] {x}, new Tensor[] {y}, g -> new Tensor[] {g.div(y.mul(2.0))});
    }
}
