package dev.lethe.unlearn.metrics;

import dev.lethe.unlearn.Metrics;

/**
 * Everything the report shows about one model on one request.
 *
 * @param metrics         UA, RA, TA, MIA-efficacy and the unlearning time
 * @param perClassTestAcc accuracy in percent on each class of the <em>full</em> test set
 *                        (the forgotten class included, so a class-wise request shows it
 *                        dropping); NaN for a class with no test sample
 * @param miaSamples      n, the members and the non-members the MIA attacker was trained on (each)
 */
public record ModelEvaluation(Metrics metrics, double[] perClassTestAcc, int miaSamples) {
    public ModelEvaluation {
        perClassTestAcc = perClassTestAcc.clone();
    }

    /** A copy of the per-class accuracies. */
    @Override
    public double[] perClassTestAcc() {
        return perClassTestAcc.clone();
    }
}
