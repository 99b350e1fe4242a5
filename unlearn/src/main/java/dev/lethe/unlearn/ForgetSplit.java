package dev.lethe.unlearn;

import dev.lethe.data.Dataset;

/**
 * One deletion request resolved against the data.
 *
 * @param scenario        the scenario spec that made it, e.g. {@code class:0} or {@code random:0.1}
 * @param train           the whole training set D the original model saw
 * @param forgetIndices   indices into {@code train} of D_f, ascending and distinct, never empty
 * @param forget          D_f, the samples to forget (train rows at forgetIndices, in that order)
 * @param retain          D_r, what remains to be kept (train without every sample forgotten so far)
 * @param test            D_t; for class-wise forgetting the forgotten class is removed, so TA
 *                        measures the remaining classes only
 * @param forgottenClass  the class removed by a class-wise request, or −1
 */
public record ForgetSplit(String scenario, Dataset train, int[] forgetIndices, Dataset forget, Dataset retain, Dataset test, int forgottenClass) {
    /** Checks the sizes agree: |D_f| = |forgetIndices| ≥ 1 and |D_r| ≤ |D| − |D_f|. */
    public ForgetSplit {
        if (forgetIndices.length == 0) throw new IllegalArgumentException(scenario + ": the forget set is empty");
        if (forget.size() != forgetIndices.length) {
            throw new IllegalArgumentException(scenario + ": " + forgetIndices.length + " forget indices but the forget set holds " + forget.size());
        }
        if (retain.size() > train.size() - forget.size()) {
            throw new IllegalArgumentException(scenario + ": retain set (" + retain.size() + ") and forget set (" + forget.size()
                    + ") are larger than the training set (" + train.size() + ")");
        }
        forgetIndices = forgetIndices.clone();
    }

    /** A copy of the forget indices. */
    @Override
    public int[] forgetIndices() {
        return forgetIndices.clone();
    }

    /** True for a class-wise request. */
    public boolean classWise() {
        return forgottenClass >= 0;
    }
}
