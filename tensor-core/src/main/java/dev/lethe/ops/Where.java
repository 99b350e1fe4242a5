package dev.lethe.ops;

import dev.lethe.autograd.Autograd;
import dev.lethe.backend.Backends;
import dev.lethe.tensor.Shapes;
import dev.lethe.tensor.Tensor;

/**
 * where: z = cond ≠ 0 ? a : b, all three broadcast together. cond is a mask (any dtype) and
 * gets no gradient.
 * <p>∂L/∂a = ∂L/∂z ⊙ [cond ≠ 0], ∂L/∂b = ∂L/∂z ⊙ [cond = 0].
 */
public final class Where {
    private Where() {}

    public static Tensor apply(Tensor cond, Tensor a, Tensor b) {
        OpChecks.sameDtype("where", a, b);
        Shapes.broadcast("where", Shapes.broadcast("where", cond.shape(), a.shape()), b.shape());
        Tensor z = Backends.of(cond, a, b).where(cond, a, b);
        return Autograd.record("where", z, new Tensor[] {a, b}, new Tensor[] {cond}, g -> {
            // Routing g through the same kernel keeps cond's dtype out of the arithmetic.
            Tensor zero = Tensor.scalar(0.0, g.dtype());
            return new Tensor[] {
                a.requiresGrad() ? g.backend().where(cond, g, zero) : null,
                b.requiresGrad() ? g.backend().where(cond, zero, g) : null};
        });
    }
}
