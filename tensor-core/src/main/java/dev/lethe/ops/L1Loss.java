package dev.lethe.ops;

import dev.lethe.tensor.Tensor;

/**
 * l1Loss: lossᵢ = |predᵢ − targetᵢ|, then reduced (mean by default). Composed from sub and
 * abs, so ∂lossᵢ/∂predᵢ = sign(dᵢ) = −∂lossᵢ/∂targetᵢ (0 at d = 0, as PyTorch).
 */
public final class L1Loss {
    private L1Loss() {}

    /** The mean absolute error. */
    public static Tensor apply(Tensor pred, Tensor target) {
        return apply(pred, target, Reduction.MEAN);
    }

    /** @throws IllegalArgumentException if pred and target differ in shape or dtype */
    public static Tensor apply(Tensor pred, Tensor target, Reduction reduction) {
        LossChecks.sameShape("l1Loss", pred, target);
        return reduction.reduce(pred.sub(target).abs());
    }
}
