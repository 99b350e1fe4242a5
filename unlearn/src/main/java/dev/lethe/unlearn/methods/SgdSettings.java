package dev.lethe.unlearn.methods;

import dev.lethe.nn.Module;
import dev.lethe.optim.Optimizer;
import dev.lethe.optim.SGD;
import dev.lethe.tensor.Tensor;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The optimisation settings most methods share: SGD with momentum at a constant learning rate
 * (the reference code's MultiStepLR milestones lie beyond these short runs), for a number of
 * epochs, with a batch size.
 *
 * @param epochs      passes over the method's data, ≥ 0
 * @param lr          learning rate, ≥ 0
 * @param momentum    SGD momentum μ ∈ [0, 1)
 * @param weightDecay L2 coefficient, ≥ 0 (0 by default, like the original's recipe; the
 *                    SalUn/Unlearn-Sparse reference code uses 5e-4)
 * @param batchSize   samples per step, ≥ 1
 */
public record SgdSettings(int epochs, double lr, double momentum, double weightDecay, int batchSize) {
    /** The batch size of every method unless stated. */
    public static final int BATCH = 128;

    public SgdSettings {
        if (epochs < 0) throw new IllegalArgumentException("epochs must be ≥ 0, got " + epochs);
        if (!(lr >= 0) || Double.isInfinite(lr)) throw new IllegalArgumentException("learning rate must be finite and ≥ 0, got " + lr);
        if (!(momentum >= 0 && momentum < 1)) throw new IllegalArgumentException("momentum must be in [0, 1), got " + momentum);
        if (!(weightDecay >= 0) || Double.isInfinite(weightDecay)) throw new IllegalArgumentException("weight decay must be finite and ≥ 0, got " + weightDecay);
        if (batchSize < 1) throw new IllegalArgumentException("batch size must be ≥ 1, got " + batchSize);
    }

    /**
     * The hyperparameters {@code epochs}, {@code lr}, {@code momentum}, {@code weight_decay}
     * (default 0) and {@code batch} (default {@value #BATCH}), as {@link #from} reads them.
     */
    static List<Hyperparameter> hyperparameters(String epochs, String epochsMeaning, String lr, String momentum) {
        List<Hyperparameter> out = new ArrayList<>();
        out.add(new Hyperparameter("epochs", epochs, epochsMeaning));
        out.add(new Hyperparameter("lr", lr, "learning rate (constant)"));
        out.addAll(withoutLr(momentum));
        return out;
    }

    /**
     * The same with {@code lr} and {@code epochs} lists of candidates chosen by a
     * {@link LearningRateRule}, whose {@code max_ra_drop} and {@code ra_sample} follow;
     * {@link #withoutLr(MethodSettings)} and {@link LearningRateRule#from} read them.
     */
    static List<Hyperparameter> withRule(String epochs, String epochsMeaning, String lrs, String momentum) {
        List<Hyperparameter> rule = LearningRateRule.hyperparameters(lrs, epochs, epochsMeaning);
        List<Hyperparameter> out = new ArrayList<>(rule.subList(0, 2));
        out.addAll(withoutLr(momentum));
        out.addAll(rule.subList(2, rule.size()));
        return out;
    }

    /** {@code momentum}, {@code weight_decay} (default 0) and {@code batch} (default {@value #BATCH}). */
    static List<Hyperparameter> withoutLr(String momentum) {
        return List.of(new Hyperparameter("momentum", momentum, "SGD momentum"),
                new Hyperparameter("weight_decay", "0", "L2 weight decay (never applied to entries a mask holds)"),
                new Hyperparameter("batch", Integer.toString(BATCH), "batch size"));
    }

    /** The settings from {@code epochs}, {@code lr}, {@code momentum}, {@code weight_decay} and {@code batch}. */
    static SgdSettings from(MethodSettings s) {
        return new SgdSettings(s.integer("epochs"), s.real("lr"), s.real("momentum"), s.real("weight_decay"), s.integer("batch"));
    }

    /**
     * The settings from {@code momentum}, {@code weight_decay} and {@code batch}; the rate and
     * the epochs come from a {@link LearningRateRule} (both are 0 here).
     */
    static SgdSettings withoutLr(MethodSettings s) {
        return new SgdSettings(0, 0, s.real("momentum"), s.real("weight_decay"), s.integer("batch"));
    }

    /** Momentum 0.9, no weight decay, batch 128. */
    public static SgdSettings of(int epochs, double lr) {
        return new SgdSettings(epochs, lr, 0.9, 0, BATCH);
    }

    /** The same settings with another learning rate. */
    public SgdSettings withLr(double newLr) {
        return new SgdSettings(epochs, newLr, momentum, weightDecay, batchSize);
    }

    /** The same settings with another number of epochs. */
    public SgdSettings withEpochs(int newEpochs) {
        return new SgdSettings(newEpochs, lr, momentum, weightDecay, batchSize);
    }

    /** SGD over every parameter of {@code model}, never moving the entries where {@code masks} are 0. */
    public Optimizer optimizer(Module model, Map<String, Tensor> masks) {
        SGD sgd = new SGD(model.parameters(), lr, momentum, 0, false, weightDecay);
        Sparsity.constrain(sgd, model, masks);
        return sgd;
    }
}
