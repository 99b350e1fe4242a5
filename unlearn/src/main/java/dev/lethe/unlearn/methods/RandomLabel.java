package dev.lethe.unlearn.methods;

import dev.lethe.data.Dataset;
import dev.lethe.nn.Init;
import dev.lethe.nn.Module;
import dev.lethe.optim.Optimizer;
import dev.lethe.tensor.Tensor;
import dev.lethe.unlearn.Method;
import dev.lethe.unlearn.UnlearnContext;
import dev.lethe.unlearn.Unlearned;

import java.util.Map;

/**
 * RL (random labels): fine-tune θ0 on D_f with wrong labels and D_r with true ones,
 * <pre>
 *   each epoch t:  ỹ_i ~ U{0 … K−1} for every i ∈ D_f (redrawn every epoch; the true label may be drawn)
 *                  minimise CE over shuffled batches of (D_f, ỹ) ∪ (D_r, y)
 * </pre>
 * This is the SalUn/Unlearn-Sparse reference code's RL (forget and retain samples
 * concatenated and shuffled together, labels drawn with {@code np.random.randint} once per
 * epoch). UNLEARNING.md describes a variant with one pass over D_f (labels redrawn every batch)
 * and then one over D_r, in separate steps; Lethe follows the recipe, the reference
 * code. Defaults: 5 epochs, lr 0.01, SGD momentum 0.9, batch 128.
 */
public final class RandomLabel implements Method {
    private final SgdSettings settings;

    /** The hyperparameters and their defaults. */
    public static final MethodSpec SPEC = new MethodSpec("rl", "random labels: fine-tune on D_f with labels redrawn every epoch, shuffled with D_r",
            SgdSettings.hyperparameters("5", "epochs over D_f ∪ D_r", "0.01", "0.9"), RandomLabel::new);

    /** 5 epochs, lr 0.01, momentum 0.9, batch 128. */
    public RandomLabel() {
        this(SPEC.defaults());
    }

    private RandomLabel(MethodSettings s) {
        this(SgdSettings.from(s));
    }

    public RandomLabel(SgdSettings settings) {
        this.settings = settings;
    }

    @Override
    public String name() {
        return SPEC.name();
    }

    @Override
    public Unlearned unlearn(UnlearnContext ctx) {
        Module model = Sparsity.start(ctx);
        train(ctx, model, ctx.sparsityMask());
        return Unlearned.of(model);
    }

    /**
     * Runs RL on {@code model} in place, never moving the entries where
     * {@code masks} are 0 (SalUn passes its saliency mask here). The labels and shuffles come
     * from the stream "rl" whoever calls, so SalUn with an all-ones mask is exactly RL.
     */
    void train(UnlearnContext ctx, Module model, Map<String, Tensor> masks) {
        Optimizer opt = settings.optimizer(model, masks);
        Dataset forget = ctx.split().forget();
        Dataset both = Dataset.concat(forget, ctx.split().retain());
        long seed = Batches.seed(ctx, "rl");
        for (int e = 0; e < settings.epochs(); e++) {
            int[] labels = both.labels();
            System.arraycopy(Batches.randomLabels(forget.size(), ctx.numClasses(), Init.derive(seed, e)), 0, labels, 0, forget.size());
            Dataset relabelled = new Dataset(both.inputs(), labels);
            TrainingLoop.epoch(model, opt, Batches.shuffled(relabelled, settings.batchSize(), seed, ctx.device()).epoch(e), BatchLoss.CROSS_ENTROPY, ctx.onStep());
        }
    }
}
