package dev.lethe.optim;

import dev.lethe.tensor.Tensor;

/** Helpers for optimiser tests: parameters whose gradients the test sets directly. */
final class OptimTestSupport {
    private OptimTestSupport() {}

    /** A float32 leaf that requires grad. */
    static Tensor param(float... values) {
        return Tensor.fromArray(values, values.length).requiresGrad(true);
    }

    /** Sets p's gradient to {@code values}. */
    static void grad(Tensor p, float... values) {
        p.setGrad(Tensor.fromArray(values, values.length));
    }
}
