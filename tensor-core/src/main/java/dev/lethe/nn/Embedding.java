package dev.lethe.nn;

import dev.lethe.tensor.Tensor;

/**
 * A lookup table [V, D] initialised N(0, 1) as PyTorch does: forward maps integer-valued ids
 * of any shape to [ids.shape..., D] (see {@link dev.lethe.ops.Embedding}).
 */
public final class Embedding extends Module {
    private final Parameter weight;

    public Embedding(int vocab, int dim, long seed) {
        if (vocab < 1 || dim < 1) throw new IllegalArgumentException("Embedding: sizes must be positive, got vocab " + vocab + ", dim " + dim);
        weight = registerParameter("weight", Init.normal(Init.derive(seed, 0), 1.0, vocab, dim));
    }

    @Override
    public Tensor forward(Tensor ids) {
        return Tensor.embedding(weight.value(), ids);
    }

    public Tensor weight() {
        return weight.value();
    }
}
