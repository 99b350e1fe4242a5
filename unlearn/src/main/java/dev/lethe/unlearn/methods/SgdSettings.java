package dev.lethe.unlearn.methods;

import dev.lethe.nn.Module;
import dev.lethe.optim.Optimizer;
import dev.lethe.optim.SGD;
import dev.lethe.tensor.Tensor;

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
