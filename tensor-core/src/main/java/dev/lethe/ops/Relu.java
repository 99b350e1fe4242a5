package dev.lethe.ops;

import dev.lethe.autograd.Autograd;
import dev.lethe.backend.UnaryOp;
import dev.lethe.tensor.Tensor;

/**
 * relu: y = max(x, 0).
 * <p>∂L/∂x = ∂L/∂y ⊙ [x &gt; 0] (0 at x = 0, as PyTorch does).
 */
public final class Relu {
    private Relu() {}

    public static Tensor apply(Tensor x) {
        Tensor y = Elementwise.unary(UnaryOp.RELU, x);
        return Autograd.record("relu", y, new Tensor[] {x}, new Tensor[] {x},
                g -> new Tensor[] {g.mul(Elementwise.unary(UnaryOp.STEP, x))});
    }
}
