package dev.lethe.nn;

import dev.lethe.tensor.Shapes;
import dev.lethe.tensor.Tensor;

/** Keeps the batch dim and flattens the rest: [N, d₁, …] → [N, d₁·…]. */
public final class Flatten extends Module {
    @Override
    public Tensor forward(Tensor x) {
        if (x.dim() < 1) throw new IllegalArgumentException("Flatten: expected a batch dim, got a scalar of shape " + Shapes.str(x.shape()));
        return x.reshape(x.size(0), x.size(0) == 0 ? 0 : -1);
    }
}
