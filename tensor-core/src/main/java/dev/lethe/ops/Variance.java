package dev.lethe.ops;

import dev.lethe.tensor.Shapes;
import dev.lethe.tensor.Tensor;

/**
 * var over dims: y = Σ_{dims} (x − x̄)² / (n − c), x̄ the mean over the same dims, n the number
 * of reduced elements, c the correction (1: unbiased, Bessel's; 0: population). Composed from
 * mean, sub, mul and sum, so its gradient ∂L/∂x = ∂L/∂y ⊙ 2(x − x̄)/(n − c) needs no rule of
 * its own.
 */
public final class Variance {
    private Variance() {}

    public static Tensor apply(Tensor x, int[] dims, boolean keepDim, int correction) {
        int[] shape = x.shape();
        int[] resolved = Shapes.dims("var", dims, shape);
        long n = 1;
        for (int d : resolved) n *= shape[d];
        if (n - correction <= 0) {
            throw new IllegalArgumentException("var: " + n + " elements over the reduced dims of shape " + Shapes.str(shape)
                    + " leave no degrees of freedom with correction " + correction);
        }
        Tensor centered = x.sub(x.mean(resolved, true));
        return centered.mul(centered).sum(resolved, keepDim).mul(1.0 / (n - correction));
    }
}
