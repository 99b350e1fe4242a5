package dev.lethe.ops;

import dev.lethe.tensor.Shapes;
import dev.lethe.tensor.Tensor;

/**
 * nllLoss: for log-probabilities [N, C] and targets yᵢ ∈ [0, C), lossᵢ = −logProbs[i, yᵢ],
 * then reduced (mean by default). Composed from {@link Gather}, so ∂L/∂logProbs[i, c] =
 * −∂L/∂lossᵢ at c = yᵢ and 0 elsewhere.
 */
public final class NllLoss {
    private NllLoss() {}

    /** The mean of −logProbs[i, targets[i]]. */
    public static Tensor apply(Tensor logProbs, int[] targets) {
        return apply(logProbs, targets, Reduction.MEAN);
    }

    /**
     * @throws IllegalArgumentException if logProbs is not 2-D, or targets do not give one
     *         class in [0, C) per row
     */
    public static Tensor apply(Tensor logProbs, int[] targets, Reduction reduction) {
        return reduction.reduce(perSample("nllLoss", logProbs, targets));
    }

    /** Targets as a tensor of integer values (any float dtype), one per row. */
    public static Tensor apply(Tensor logProbs, Tensor targets, Reduction reduction) {
        return apply(logProbs, IndexChecks.integers("nllLoss", "targets", targets), reduction);
    }

    /** −logProbs[i, targets[i]] for each row i, shape [N]; checks in the name of {@code op}. */
    static Tensor perSample(String op, Tensor logProbs, int[] targets) {
        OpChecks.rank(op, "input", logProbs, 2);
        IndexChecks.targets(op, targets, logProbs.shape());
        Tensor index = Tensor.zeros(logProbs.dtype(), targets.length, 1);
        for (int i = 0; i < targets.length; i++) index.storage().set(i, targets[i]);
        return Gather.apply(logProbs, 1, index).reshape(targets.length).neg();
    }
}
