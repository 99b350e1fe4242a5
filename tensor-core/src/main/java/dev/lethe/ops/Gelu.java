package dev.lethe.ops;

import dev.lethe.autograd.Autograd;
import dev.lethe.backend.UnaryOp;
import dev.lethe.tensor.Tensor;

/**
 * gelu, tanh form: y = ½x(1 + t), t = tanh(√(2/π)(x + 0.044715x³)).
 * <p>∂L/∂x = ∂L/∂y ⊙ [½(1 + t) + ½x(1 − t²)·√(2/π)(1 + 3·0.044715x²)], one fused kernel
 * ({@link UnaryOp#GELU_GRAD}).
 */
public final class Gelu {
    private Gelu() {}

    public static Tensor apply(Tensor x) {
        Tensor y = Elementwise.unary(UnaryOp.GELU, x);
        return Autograd.record("gelu", y, new Tensor[] {x}, new Tensor[] {x},
                g -> new Tensor[] {g.mul(Elementwise.unary(UnaryOp.GELU_GRAD, x))});
    }
}
