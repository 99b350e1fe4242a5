package dev.lethe.nn;

import dev.lethe.tensor.Tensor;

/** y = max(x, 0) elementwise. */
public final class ReLU extends Module {
    @Override
    public Tensor forward(Tensor x) {
        return x.relu();
    }
}
