package dev.lethe.unlearn.methods;

import dev.lethe.data.DataLoader;
import dev.lethe.nn.Module;
import dev.lethe.optim.Optimizer;
import dev.lethe.unlearn.Method;
import dev.lethe.unlearn.UnlearnContext;
import dev.lethe.unlearn.Unlearned;

import java.util.Map;

/**
 * GA (gradient ascent): starting from θ0, minimise −CE on D_f,
 * θ ← θ + η·∇θ CE(D_f batch), SGD with momentum 0.9, batch 128.
 *
 * <p>GA is very sensitive to the learning rate, so the rate and the number of epochs are chosen
 * per request from a grid (default lr ∈ {1e-5, 2e-5, 5e-5, 1e-4, 2e-4} × epochs ∈ {3, 5}) by
 * {@link LearningRateRule}, which never looks at Retrain: among candidates with finite weights
 * whose RA is at most 5 points below the original's, the highest UA wins (ties: the smaller
 * lr, then fewer epochs); if none keeps RA, the finite candidate with the highest RA. Each rate
 * is trained once for the largest epoch count: with a constant rate and the same batch order,
 * the 3-epoch candidate is exactly the 5-epoch run after 3 epochs. {@link Unlearned#notes()}
 * report lr, epochs, UA, RA (sample) and the original's RA (sample).
 */
public final class GradientAscent implements Method {
    /** The hyperparameters and their defaults. */
    public static final MethodSpec SPEC = new MethodSpec("ga", "gradient ascent on D_f: minimise −CE(D_f); lr and epochs chosen per request by the rule",
            SgdSettings.withRule("3:5", "epochs over D_f", "1e-5:2e-5:5e-5:1e-4:2e-4", "0.9"), GradientAscent::new);

    private final LearningRateRule rule;
    private final SgdSettings base;

    /** The default grid and rule. */
    public GradientAscent() {
        this(SPEC.defaults());
    }

    /** A fixed learning rate and epoch count (nothing to choose). */
    public GradientAscent(double lr, int epochs) {
        this(LearningRateRule.fixed(lr, epochs), SgdSettings.of(0, 0));
    }

    private GradientAscent(MethodSettings s) {
        this(LearningRateRule.from(s), SgdSettings.withoutLr(s));
    }

    /**
     * @param rule candidate learning rates and epoch counts, and the rule that chooses
     * @param base momentum, weight decay and batch size (its epochs and lr are ignored)
     */
    public GradientAscent(LearningRateRule rule, SgdSettings base) {
        this.rule = rule;
        this.base = base;
    }

    @Override
    public String name() {
        return SPEC.name();
    }

    @Override
    public Unlearned unlearn(UnlearnContext ctx) {
        DataLoader loader = Batches.shuffled(ctx.split().forget(), base.batchSize(), Batches.seed(ctx, name()), ctx.device());
        return rule.select(ctx, name(), (lr, epochs, after) -> {
            Module model = Sparsity.start(ctx);
            Optimizer opt = base.withLr(lr).optimizer(model, ctx.sparsityMask());
            for (int e = 0; e < epochs; e++) {
                TrainingLoop.epoch(model, opt, loader.epoch(e), BatchLoss.NEGATIVE_CROSS_ENTROPY, ctx.onStep());
                after.done(e + 1, model, Map.of());
            }
        });
    }
}
