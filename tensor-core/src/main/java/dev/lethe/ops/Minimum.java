package dev.lethe.ops;

import dev.lethe.backend.BinaryOp;
import dev.lethe.tensor.Tensor;

/**
 * minimum: z = min(a, b) elementwise, broadcast.
 * <p>With m = [a &lt; b] + ½[a = b]: ∂L/∂a = ∂L/∂z ⊙ m, ∂L/∂b = ∂L/∂z ⊙ (1 − m).
 */
public final class Minimum {
    private Minimum() {}

    public static Tensor apply(Tensor a, Tensor b) {
        return Maximum.pick("minimum", BinaryOp.MIN, BinaryOp.LT, a, b);
    }
}
