package dev.lethe.unlearn.metrics;

/**
 * MIA-efficacy, the membership-inference metric of UNLEARNING.md §4 (the SalUn / sparse
 * unlearning protocol), as one number:
 * <ol>
 *   <li>feature of a sample (x, y): c = softmax(f(x))_y, the model's confidence in the true label;</li>
 *   <li>attacker: an RBF SVM ({@link RbfSvm}, C = {@value #C}, γ = 1/n_features = 1) trained on
 *       n members (label 1, confidences of n retain samples) and n non-members (label 0,
 *       confidences of n test samples), n = min(|D_r|, |D_t|);</li>
 *   <li>efficacy = 100 · |{x ∈ D_f : attacker(c(x)) = non-member}| / |D_f|.</li>
 * </ol>
 * Higher means the forget set looks less like training data. Retrain's value is the target:
 * an unlearned model should score what a model that never saw D_f scores, not 100.
 */
public final class MiaEfficacy {
    /** The SVM's box constraint C of the reference protocol. */
    public static final double C = 3;
    /** γ = 1 / n_features with the single confidence feature (scikit-learn's {@code gamma="auto"}). */
    public static final double GAMMA = 1.0;

    private MiaEfficacy() {}

    /**
     * Trains the attacker on member confidences (label 1) and non-member confidences (label 0).
     *
     * @throws IllegalArgumentException if either side is empty
     */
    public static RbfSvm attacker(double[] members, double[] nonMembers) {
        if (members.length == 0 || nonMembers.length == 0) {
            throw new IllegalArgumentException("MIA: the attacker needs members and non-members, got " + members.length + " and " + nonMembers.length);
        }
        double[][] x = new double[members.length + nonMembers.length][];
        int[] y = new int[x.length];
        for (int i = 0; i < members.length; i++) {
            x[i] = new double[] {members[i]};
            y[i] = 1;
        }
        for (int i = 0; i < nonMembers.length; i++) x[members.length + i] = new double[] {nonMembers[i]};
        return RbfSvm.fit(x, y, C, GAMMA);
    }

    /** Percent of {@code forget} confidences the attacker calls non-member (label 0); NaN for none. */
    public static double efficacy(RbfSvm attacker, double[] forget) {
        if (forget.length == 0) return Double.NaN;
        double[][] rows = new double[forget.length][];
        for (int i = 0; i < forget.length; i++) rows[i] = new double[] {forget[i]};
        int nonMember = 0;
        for (int label : attacker.predictAll(rows)) if (label == 0) nonMember++;
        return 100.0 * nonMember / forget.length;
    }
}
