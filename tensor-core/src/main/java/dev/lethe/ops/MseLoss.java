package dev.lethe.ops;

import dev.lethe.tensor.Tensor;

/**
 * mseLoss: lossᵢ = (predᵢ − targetᵢ)², then reduced (mean by default). Composed;
 * ∂lossᵢ/∂predᵢ = 2(predᵢ − targetᵢ) = −∂lossᵢ/∂targetᵢ.
 */
public final class MseLoss {
    private MseLoss() {}

    /** The mean squared error. */
    public static Tensor apply(Tensor pred, Tensor target) {
        return apply(pred, target, Reduction.MEAN);
    }

    /** @throws IllegalArgumentException if pred and target differ in shape or dtype */
    public static Tensor apply(Tensor pred, Tensor target, Reduction reduction) {
        LossChecks.sameShape("mseLoss", pred, target);
        Tensor d = pred.sub(target);
        return reduction.reduce(d.mul(d));
    }
}
