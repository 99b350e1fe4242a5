package dev.lethe.nn;

import dev.lethe.tensor.Tensor;

/** GELU, tanh approximation: y = ½x(1 + tanh(√(2/π)(x + 0.044715x³))) (see {@link dev.lethe.ops.Gelu}). */
public final class GELU extends Module {
    @Override
    public Tensor forward(Tensor x) {
        return x.gelu();
    }
}
