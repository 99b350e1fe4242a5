package dev.lethe.ops;

import dev.lethe.autograd.Autograd;
import dev.lethe.backend.UnaryOp;
import dev.lethe.tensor.Tensor;

/**
 * log: y = ln x (NaN for x &lt; 0, −∞ at 0).
 * <p>∂L/∂x = ∂L/∂y / x.
 */
public final class Log {
    private Log() {}

    public static Tensor apply(Tensor x) {
        Tensor y = Elementwise.unary(UnaryOp.LOG, x);
        return Autograd.record("log", y, new Tensor[] {x}, new Tensor[] {x}, g -> new Tensor[] {g.div(x)});
    }
}
