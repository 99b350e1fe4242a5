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
 * SCRUB (Kurmanji et al., "Towards unbounded machine unlearning"): the student θ, initialised
 * at θ0, moves away from the frozen teacher θ0 on D_f while staying with it on D_r. With
 * KL_T = T²·KL(softmax(z_teacher/T)‖softmax(z_student/T)):
 * <pre>
 *   for epoch e = 1 … E:
 *     if e ≤ msteps:  max step, one pass over D_f:  minimise −KL_T
 *                     min step, one pass over D_r:  minimise γ·CE + α·KL_T
 * </pre>
 * Defaults (the reference's): T = 4, γ = 0.99, α = 0.001, msteps = 2, E = 3 epochs, batch
 * 128; the reference's lr 5e-4 is the largest candidate of {1e-4, 2e-4, 5e-4}, chosen per
 * request by GA's rule ({@link LearningRateRule}), because 5e-4 sends a class-wise request on
 * the full Fashion-MNIST set to NaN: −KL is unbounded and the max step runs it up.
 * <p>At θ = θ0 the max step's gradient is exactly 0 (KL is at its minimum where student and
 * teacher agree); the reference moves anyway because its student runs in train mode (dropout,
 * BatchNorm batch statistics) against an eval-mode teacher. A model without either, like the
 * {@code mlp}, leaves θ0 only through the min step, so the first max step does nothing. The optimiser is SGD with momentum 0.9, the reference's {@code sgda} default
 * (it offers Adam too), one optimiser shared by the max and min steps, constant rate (the
 * reference's decay milestones lie beyond 3 epochs), no weight decay (the reference: 5e-4).
 * The teacher runs in eval mode.
 */
public final class Scrub implements Method {
    private final SgdSettings settings;
    private final double temperature, gamma, alpha;
    private final int maxSteps;

    /** The hyperparameters and their defaults. */
    public static final MethodSpec SPEC = new MethodSpec("scrub", "SCRUB: move away from the frozen θ0 on D_f (max step) while staying with it on D_r (min step)",
            Hyperparameter.concat(SgdSettings.withRule("3", "epochs E: each a min step over D_r, the first msteps preceded by a max step over D_f", "1e-4:2e-4:5e-4", "0.9"),
                    new Hyperparameter("temperature", "4", "distillation temperature T"),
                    new Hyperparameter("gamma", "0.99", "weight γ of CE in the min step"),
                    new Hyperparameter("alpha", "0.001", "weight α of KL_T in the min step"),
                    new Hyperparameter("msteps", "2", "leading epochs with a max step")),
            Scrub::new);

    private final LearningRateRule rule;

    /** T = 4, γ = 0.99, α = 0.001, msteps = 2, 3 epochs, the rule over {1e-4, 2e-4, 5e-4}, SGD momentum 0.9, batch 128. */
    public Scrub() {
        this(SPEC.defaults());
    }

    private Scrub(MethodSettings s) {
        this(LearningRateRule.from(s), SgdSettings.withoutLr(s), s.real("temperature"), s.real("gamma"), s.real("alpha"), s.integer("msteps"));
    }

    /** A fixed learning rate and length, {@code settings.lr()} and {@code settings.epochs()}. */
    public Scrub(SgdSettings settings, double temperature, double gamma, double alpha, int maxSteps) {
        this(LearningRateRule.fixed(settings.lr(), settings.epochs()), settings, temperature, gamma, alpha, maxSteps);
    }

    /**
     * @param temperature T &gt; 0
     * @param gamma       weight γ ≥ 0 of CE in the min step
     * @param alpha       weight α ≥ 0 of KL_T in the min step
     * @param maxSteps    msteps ≥ 0: the number of leading epochs with a max step
     */
    public Scrub(LearningRateRule rule, SgdSettings settings, double temperature, double gamma, double alpha, int maxSteps) {
        if (!(temperature > 0) || !(gamma >= 0) || !(alpha >= 0) || maxSteps < 0) {
            throw new IllegalArgumentException("scrub: need T > 0, γ ≥ 0, α ≥ 0, msteps ≥ 0, got T = " + temperature + ", γ = " + gamma + ", α = "
                    + alpha + ", msteps = " + maxSteps);
        }
        this.rule = rule;
        this.settings = settings;
        this.temperature = temperature;
        this.gamma = gamma;
        this.alpha = alpha;
        this.maxSteps = maxSteps;
    }

    @Override
    public String name() {
        return SPEC.name();
    }

    @Override
    public Unlearned unlearn(UnlearnContext ctx) {
        Module teacher = Sparsity.start(ctx).eval();
        return rule.select(ctx, name(), (lr, epochs, after) -> train(ctx, teacher, lr, epochs, after));
    }

    /** SCRUB at rate {@code lr}: a student from θ0, trained against {@code teacher}. */
    private void train(UnlearnContext ctx, Module teacher, double lr, int epochs, LearningRateRule.EpochEnd after) {
        Module student = Sparsity.start(ctx);
        Optimizer opt = settings.withLr(lr).optimizer(student, ctx.sparsityMask());
        DataLoader forget = Batches.shuffled(ctx.split().forget(), settings.batchSize(), Batches.seed(ctx, "scrub/forget"), ctx.device());
        DataLoader retain = Batches.shuffled(ctx.split().retain(), settings.batchSize(), Batches.seed(ctx, "scrub/retain"), ctx.device());
        for (int e = 0; e < epochs; e++) {
            if (e < maxSteps) {
                TrainingLoop.epoch(student, opt, forget.epoch(e),
                        (m, b) -> Distillation.kl(Distillation.frozenLogits(teacher, b.inputs()), m.forward(b.inputs()), temperature).neg(), ctx.onStep());
            }
            TrainingLoop.epoch(student, opt, retain.epoch(e), (m, b) -> {
                Tensor z = m.forward(b.inputs());
                return z.crossEntropy(b.labels()).mul(gamma).add(Distillation.kl(Distillation.frozenLogits(teacher, b.inputs()), z, temperature).mul(alpha));
            }, ctx.onStep());
            after.done(e + 1, student, Map.of());
        }
    }
}
