package dev.lethe.ops;

import dev.lethe.tensor.Tensor;

/**
 * crossEntropy with label smoothing ε, as PyTorch: for logits [N, C] and targets yᵢ, with
 * log pᵢ = logSoftmax(logitsᵢ),
 * lossᵢ = (1−ε)·(−log p_{i,yᵢ}) + ε·mean_c(−log p_{i,c}), then reduced (mean by default).
 * Composed from {@link LogSoftmax} and {@link NllLoss}; for ε = 0 the gradient is
 * ∂lossᵢ/∂logits_{i,c} = p_{i,c} − [c = yᵢ].
 */
public final class CrossEntropy {
    private CrossEntropy() {}

    /** Mean loss, no smoothing. */
    public static Tensor apply(Tensor logits, int[] targets) {
        return apply(logits, targets, Reduction.MEAN, 0.0);
    }

    /** No smoothing. */
    public static Tensor apply(Tensor logits, int[] targets, Reduction reduction) {
        return apply(logits, targets, reduction, 0.0);
    }

    /**
     * @throws IllegalArgumentException if logits is not 2-D, targets do not give one class in
     *         [0, C) per row, or ε is outside [0, 1]
     */
    public static Tensor apply(Tensor logits, int[] targets, Reduction reduction, double labelSmoothing) {
        if (!(labelSmoothing >= 0 && labelSmoothing <= 1)) {
            throw new IllegalArgumentException("crossEntropy: labelSmoothing " + labelSmoothing + " is outside [0, 1]");
        }
        OpChecks.rank("crossEntropy", "logits", logits, 2);
        IndexChecks.targets("crossEntropy", targets, logits.shape());
        Tensor logp = LogSoftmax.apply(logits, 1);
        Tensor loss = NllLoss.perSample("crossEntropy", logp, targets);
        if (labelSmoothing > 0) {
            Tensor uniform = logp.mean(new int[] {1}, false).neg();
            loss = loss.mul(1 - labelSmoothing).add(uniform.mul(labelSmoothing));
        }
        return reduction.reduce(loss);
    }

    /** Targets as a tensor of integer values (any float dtype), one per row. */
    public static Tensor apply(Tensor logits, Tensor targets, Reduction reduction, double labelSmoothing) {
        return apply(logits, IndexChecks.integers("crossEntropy", "targets", targets), reduction, labelSmoothing);
    }
}
