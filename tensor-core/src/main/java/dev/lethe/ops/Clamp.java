package dev.lethe.ops;

import dev.lethe.autograd.Autograd;
import dev.lethe.backend.UnaryOp;
import dev.lethe.tensor.Tensor;

/**
 * clamp: y = min(max(x, lo), hi), lo ≤ hi.
 * <p>∂L/∂x = ∂L/∂y ⊙ [lo ≤ x ≤ hi] (the gradient passes at the bounds, as PyTorch's).
 */
public final class Clamp {
    private Clamp() {}

    public static Tensor apply(Tensor x, double lo, double hi) {
        OpChecks.require(lo <= hi, "clamp: lower bound " + lo + " exceeds upper bound " + hi + " (or one is NaN)");
        Tensor y = Elementwise.unary(UnaryOp.CLAMP, x, lo, hi);
        return Autograd.record("clamp", y, new Tensor[] {x}, new Tensor[] {x},
                g -> new Tensor[] {g.mul(Elementwise.unary(UnaryOp.IN_RANGE, x, lo, hi))});
    }
}
