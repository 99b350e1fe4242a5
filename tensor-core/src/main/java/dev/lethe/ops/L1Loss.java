package dev.lethe.ops;

import dev.lethe.backend.UnaryOp;
import dev.lethe.tensor.Tensor;

/**
 * l1Loss: lossᵢ = |predᵢ − targetᵢ|, then reduced (mean by default). Composed as
 * d ⊙ sign(d) with d = pred − target and sign(d) a constant, so
 * ∂lossᵢ/∂predᵢ = sign(dᵢ) = −∂lossᵢ/∂targetᵢ (0 at d = 0, as PyTorch).
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
        Tensor d = pred.sub(target);
        // sign(d) is piecewise constant: its own derivative is 0, so it enters as a constant.
        Tensor sign = Elementwise.unary(UnaryOp.SIGN, d.detach());
        return reduction.reduce(d.mul(sign));
    }
}
