package dev.lethe.ops;

import dev.lethe.autograd.Autograd;
import dev.lethe.backend.BinaryOp;
import dev.lethe.tensor.Tensor;

/**
 * maximum: z = max(a, b) elementwise, broadcast.
 * <p>With m = [a &gt; b] + ½[a = b] (ties split evenly, as PyTorch does):
 * ∂L/∂a = ∂L/∂z ⊙ m, ∂L/∂b = ∂L/∂z ⊙ (1 − m).
 */
public final class Maximum {
    private Maximum() {}

    public static Tensor apply(Tensor a, Tensor b) {
        return pick("maximum", BinaryOp.MAX, BinaryOp.GT, a, b);
    }

    /**
     * Shared by {@link Maximum} and {@link Minimum}: {@code op} picks, {@code wins} says where
     * a is the one picked.
     */
    static Tensor pick(String name, BinaryOp op, BinaryOp wins, Tensor a, Tensor b) {
        Tensor z = Elementwise.binary(name, op, a, b);
        return Autograd.record(name, z, new Tensor[] {a, b}, new Tensor[] {a, b}, g -> {
            Tensor tie = Elementwise.binary(name, BinaryOp.EQ, a, b).mul(0.5);
            Tensor m = Elementwise.binary(name, wins, a, b).add(tie);
            return new Tensor[] {a.requiresGrad() ? g.mul(m) : null, b.requiresGrad() ? g.sub(g.mul(m)) : null};
        });
    }
}
