package dev.lethe.unlearn.methods;

import dev.lethe.data.DataLoader;
import dev.lethe.nn.Module;
import dev.lethe.optim.Optimizer;
import dev.lethe.tensor.Tensor;
import dev.lethe.unlearn.Method;
import dev.lethe.unlearn.UnlearnContext;
import dev.lethe.unlearn.Unlearned;

import java.util.Map;

/**
 * GradDiff (gradient difference): gradient ascent on D_f held in check by descent on D_r,
 * <pre>
 *   minimise −CE(D_f batch) + α·CE(D_r batch)
 * </pre>
 * one step per forget batch, each paired with the next retain batch (the retain batches run
 * on across epochs). An epoch is one pass over D_f. Defaults: α = 1 (the open-unlearning
 * default), SGD momentum 0.9, batch 128 for both sets, and the learning rate and length chosen
 * per request from {2e-5, 5e-5, 1e-4, 2e-4, 5e-4, 1e-3, 2e-3, 5e-3} × {1, …, 5} epochs by GA's
 * rule ({@link LearningRateRule}: highest UA with finite weights and RA at most 5 points below
 * the original's; it never looks at Retrain). UNLEARNING.md gives no rate, and no single one
 * serves: 5e-3 for 5 epochs suits 10 % random forgetting on the bundled subset, but on the full
 * set it loses half the retain accuracy of a random request, and a class-wise request reaches
 * ∞ within 5 epochs even at 1e-4.
 */
public final class GradDiff implements Method {
    /** The hyperparameters and their defaults. */
    public static final MethodSpec SPEC = new MethodSpec("graddiff", "gradient difference: minimise −CE(D_f) + α·CE(D_r); lr chosen per request by the rule",
            Hyperparameter.concat(SgdSettings.withRule("1:2:3:4:5", "epochs over D_f (each forget batch paired with a retain batch)", "2e-5:5e-5:1e-4:2e-4:5e-4:1e-3:2e-3:5e-3", "0.9"),
                    new Hyperparameter("alpha", "1", "weight α of the retain loss")),
            GradDiff::new);

    private final LearningRateRule rule;
    private final SgdSettings settings;
    private final double alpha;

    /** α = 1, the rule over {2e-5 … 5e-3} × {1 … 5} epochs, momentum 0.9, batch 128. */
    public GradDiff() {
        this(SPEC.defaults());
    }

    private GradDiff(MethodSettings s) {
        this(LearningRateRule.from(s), SgdSettings.withoutLr(s), s.real("alpha"));
    }

    /** A fixed learning rate and length, {@code settings.lr()} and {@code settings.epochs()}. */
    public GradDiff(SgdSettings settings, double alpha) {
        this(LearningRateRule.fixed(settings.lr(), settings.epochs()), settings, alpha);
    }

    /**
     * @param rule     the candidate rates and epochs, and the rule that chooses
     * @param settings momentum, weight decay, batch size (its lr and epochs are ignored)
     * @param alpha    the weight α ≥ 0 of the retain loss
     */
    public GradDiff(LearningRateRule rule, SgdSettings settings, double alpha) {
        if (!(alpha >= 0) || Double.isInfinite(alpha)) throw new IllegalArgumentException("graddiff: α must be finite and ≥ 0, got " + alpha);
        this.rule = rule;
        this.settings = settings;
        this.alpha = alpha;
    }

    @Override
    public String name() {
        return SPEC.name();
    }

    @Override
    public Unlearned unlearn(UnlearnContext ctx) {
        return unlearn(ctx, name(), ctx.sparsityMask());
    }

    /**
     * GradDiff from θ0 under the rule, never moving the entries where {@code masks} are 0
     * (WAGLE passes its weight mask here); {@code method} seeds the rule's RA sample.
     */
    Unlearned unlearn(UnlearnContext ctx, String method, Map<String, Tensor> masks) {
        return rule.select(ctx, method, (lr, epochs, after) -> {
            Module model = Sparsity.start(ctx);
            train(ctx, model, masks, lr, epochs, after);
        });
    }

    /**
     * Runs GradDiff at rate {@code lr} on {@code model} in place. The batches come from the
     * stream "graddiff" whoever calls, so WAGLE with an all-ones mask is exactly GradDiff.
     */
    private void train(UnlearnContext ctx, Module model, Map<String, Tensor> masks, double lr, int epochs, LearningRateRule.EpochEnd after) {
        Optimizer opt = settings.withLr(lr).optimizer(model, masks);
        DataLoader forget = Batches.shuffled(ctx.split().forget(), settings.batchSize(), Batches.seed(ctx, "graddiff"), ctx.device());
        Batches.RetainCycle retain = new Batches.RetainCycle(Batches.shuffled(ctx.split().retain(), settings.batchSize(), Batches.seed(ctx, "graddiff/retain"), ctx.device()));
        for (int e = 0; e < epochs; e++) {
            TrainingLoop.epoch(model, opt, Batches.paired(forget, retain, e), (m, p) -> BatchLoss.NEGATIVE_CROSS_ENTROPY.loss(m, p.forget())
                    .add(BatchLoss.CROSS_ENTROPY.loss(m, p.retain()).mul(alpha)), ctx.onStep());
            after.done(e + 1, model, Map.of());
        }
    }
}
