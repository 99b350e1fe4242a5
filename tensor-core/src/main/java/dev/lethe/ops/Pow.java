package dev.lethe.ops;

import dev.lethe.autograd.Autograd;
import dev.lethe.backend.UnaryOp;
import dev.lethe.tensor.Tensor;

/**
 * pow with a scalar exponent: y = xᵖ (NaN for x &lt; 0 unless p is an integer).
 * <p>∂L/∂x = ∂L/∂y ⊙ p·xᵖ⁻¹ (zero for p = 0, where xᵖ⁻¹ could be infinite at x = 0).
 */
public final class Pow {
    private Pow() {}

    public static Tensor apply(Tensor x, double p) {
        Tensor y = Elementwise.unary(UnaryOp.POW, x, p, 0);
        return Autograd.record("pow", y, new Tensor[] {x}, new Tensor[] {x},
                g -> new Tensor[] {p == 0 ? g.mul(0.0) : g.mul(x.pow(p - 1).mul(p))});
    }
}
