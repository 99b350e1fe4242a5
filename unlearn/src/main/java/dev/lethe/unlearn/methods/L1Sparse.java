package dev.lethe.unlearn.methods;

import dev.lethe.data.DataLoader;
import dev.lethe.nn.Module;
import dev.lethe.optim.Optimizer;
import dev.lethe.tensor.Tensor;
import dev.lethe.unlearn.Method;
import dev.lethe.unlearn.UnlearnContext;
import dev.lethe.unlearn.Unlearned;

import java.util.List;

/**
 * ℓ1-sparse unlearning (Jia et al., "Model sparsity can simplify machine unlearning"): FT with
 * an ℓ1 penalty over every parameter whose weight decays linearly to 0,
 * <pre>
 *   minimise CE(D_r batch) + γ_t·‖θ‖₁,   γ_t = γ·(1 − t/T)   in epoch t = 0 … T−1
 * </pre>
 * (the reference code's {@code alpha·(1 − epoch/unlearn_epochs)}, updated once per epoch).
 * Defaults: γ = 5e-4, 5 epochs, lr 0.01, SGD momentum 0.9, batch 128. The batches are FT's
 * stream, so with γ = 0 this is FT step for step.
 */
public final class L1Sparse implements Method {
    private final SgdSettings settings;
    private final double gamma;

    /** The hyperparameters and their defaults. */
    public static final MethodSpec SPEC = new MethodSpec("l1sparse", "fine-tune on D_r with an ℓ1 penalty γ_t·‖θ‖₁, γ_t decaying linearly to 0",
            Hyperparameter.concat(SgdSettings.hyperparameters("5", "epochs over D_r", "0.01", "0.9"), new Hyperparameter("gamma", "5e-4", "initial ℓ1 weight γ")),
            L1Sparse::new);

    /** γ = 5e-4, 5 epochs, lr 0.01, momentum 0.9, batch 128. */
    public L1Sparse() {
        this(SPEC.defaults());
    }

    private L1Sparse(MethodSettings s) {
        this(SgdSettings.from(s), s.real("gamma"));
    }

    /** @param gamma the initial ℓ1 weight γ ≥ 0 */
    public L1Sparse(SgdSettings settings, double gamma) {
        if (!(gamma >= 0) || Double.isInfinite(gamma)) throw new IllegalArgumentException("l1sparse: γ must be finite and ≥ 0, got " + gamma);
        this.settings = settings;
        this.gamma = gamma;
    }

    @Override
    public String name() {
        return SPEC.name();
    }

    @Override
    public Unlearned unlearn(UnlearnContext ctx) {
        Module model = Sparsity.start(ctx);
        Optimizer opt = settings.optimizer(model, ctx.sparsityMask());
        // FT's batch stream: with γ = 0 this is FT, step for step.
        DataLoader retain = Batches.shuffled(ctx.split().retain(), settings.batchSize(), Batches.seed(ctx, "ft"), ctx.device());
        int epochs = settings.epochs();
        for (int t = 0; t < epochs; t++) {
            double gammaT = gamma * (1 - (double) t / epochs);
            BatchLoss<DataLoader.Batch> loss = gammaT == 0 ? BatchLoss.CROSS_ENTROPY
                    : (m, b) -> BatchLoss.CROSS_ENTROPY.loss(m, b).add(l1(m.parameters()).mul(gammaT));
            TrainingLoop.epoch(model, opt, retain.epoch(t), loss, ctx.onStep());
        }
        return Unlearned.of(model);
    }

    /** ‖θ‖₁ = Σ |θ_i| over every parameter. */
    static Tensor l1(List<Tensor> params) {
        Tensor total = params.getFirst().abs().sum();
        for (int i = 1; i < params.size(); i++) total = total.add(params.get(i).abs().sum());
        return total;
    }
}
