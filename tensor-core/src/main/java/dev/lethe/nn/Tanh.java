package dev.lethe.nn;

import dev.lethe.tensor.Tensor;

/** y = tanh(x) elementwise. */
public final class Tanh extends Module {
    @Override
    public Tensor forward(Tensor x) {
        return x.tanh();
    }
}
