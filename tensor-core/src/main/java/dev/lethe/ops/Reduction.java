package dev.lethe.ops;

import dev.lethe.tensor.Tensor;

/** How a loss combines its per-element values, as PyTorch's {@code reduction} argument. */
public enum Reduction {
    /** The mean over all elements (a 0-dim tensor). */
    MEAN,
    /** The sum over all elements (a 0-dim tensor). */
    SUM,
    /** The per-element losses unchanged. */
    NONE;

    /** Combines {@code losses} as this reduction says. */
    public Tensor reduce(Tensor losses) {
        return switch (this) {
            case MEAN -> losses.mean();
            case SUM -> losses.sum();
            case NONE -> losses;
        };
    }
}
