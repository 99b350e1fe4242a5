package dev.lethe.unlearn.methods;

import dev.lethe.data.DataLoader;
import dev.lethe.nn.Module;
import dev.lethe.optim.Optimizer;
import dev.lethe.tensor.Tensor;
import dev.lethe.unlearn.Method;
import dev.lethe.unlearn.UnlearnContext;
import dev.lethe.unlearn.Unlearned;

/**
 * SCRUB (Kurmanji et al., "Towards unbounded machine unlearning"): the student θ, initialised
 * at θ0, moves away from the frozen teacher θ0 on D_f while staying with it on D_r. With
 * KL_T = T²·KL(softmax(z_teacher/T)‖softmax(z_student/T)):
 * <pre>
 *   for epoch e = 1 … E:
 *     if e ≤ msteps:  max step, one pass over D_f:  minimise −KL_T
 *                     min step, one pass over D_r:  minimise γ·CE + α·KL_T
 * </pre>
 * Defaults (the reference's): T = 4, γ = 0.99, α = 0.001, msteps = 2, E = 3 epochs, lr 5e-4,
 * batch 128. The optimiser is SGD with momentum 0.9, the reference's {@code sgda} default
 * (it offers Adam too), one optimiser shared by the max and min steps, constant rate (the
 * reference's decay milestones lie beyond 3 epochs), no weight decay (the reference: 5e-4).
 * The teacher runs in eval mode.
 */
public final class Scrub implements Method {
    private final SgdSettings settings;
    private final double temperature, gamma, alpha;
    private final int maxSteps;

    /** T = 4, γ = 0.99, α = 0.001, msteps = 2, 3 epochs, lr 5e-4, SGD momentum 0.9, batch 128. */
    public Scrub() {
        this(SgdSettings.of(3, 5e-4), 4, 0.99, 0.001, 2);
    }

    /**
     * @param temperature T &gt; 0
     * @param gamma       weight γ ≥ 0 of CE in the min step
     * @param alpha       weight α ≥ 0 of KL_T in the min step
     * @param maxSteps    msteps ≥ 0: the number of leading epochs with a max step
     */
    public Scrub(SgdSettings settings, double temperature, double gamma, double alpha, int maxSteps) {
        if (!(temperature > 0) || !(gamma >= 0) || !(alpha >= 0) || maxSteps < 0) {
            throw new IllegalArgumentException("scrub: need T > 0, γ ≥ 0, α ≥ 0, msteps ≥ 0, got T = " + temperature + ", γ = " + gamma + ", α = "
                    + alpha + ", msteps = " + maxSteps);
        }
        this.settings = settings;
        this.temperature = temperature;
        this.gamma = gamma;
        this.alpha = alpha;
        this.maxSteps = maxSteps;
    }

    @Override
    public String name() {
        return "scrub";
    }

    @Override
    public Unlearned unlearn(UnlearnContext ctx) {
        Module student = Sparsity.start(ctx);
        Module teacher = Sparsity.start(ctx).eval();
        Optimizer opt = settings.optimizer(student, ctx.sparsityMask());
        DataLoader forget = Batches.shuffled(ctx.split().forget(), settings.batchSize(), Batches.seed(ctx, "scrub/forget"));
        DataLoader retain = Batches.shuffled(ctx.split().retain(), settings.batchSize(), Batches.seed(ctx, "scrub/retain"));
        for (int e = 0; e < settings.epochs(); e++) {
            if (e < maxSteps) {
                TrainingLoop.epoch(student, opt, forget.epoch(e),
                        (m, b) -> Distillation.kl(Distillation.frozenLogits(teacher, b.inputs()), m.forward(b.inputs()), temperature).neg(), ctx.onStep());
            }
            TrainingLoop.epoch(student, opt, retain.epoch(e), (m, b) -> {
                Tensor z = m.forward(b.inputs());
                return z.crossEntropy(b.labels()).mul(gamma).add(Distillation.kl(Distillation.frozenLogits(teacher, b.inputs()), z, temperature).mul(alpha));
            }, ctx.onStep());
        }
        return Unlearned.of(student);
    }
}
