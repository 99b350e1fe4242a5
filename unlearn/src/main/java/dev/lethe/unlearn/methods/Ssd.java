package dev.lethe.unlearn.methods;

import dev.lethe.data.Dataset;
import dev.lethe.nn.Module;
import dev.lethe.surgery.FisherDiagonal;
import dev.lethe.surgery.SelectiveSynapticDampening;
import dev.lethe.tensor.Tensor;
import dev.lethe.unlearn.Method;
import dev.lethe.unlearn.UnlearnContext;
import dev.lethe.unlearn.Unlearned;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * SSD (Foster et al., "Fast machine unlearning without retraining through selective synaptic
 * dampening"): no training. With Fisher diagonals from batch-mean CE gradients at θ0 (eval
 * mode), I[i] = mean over batches of (∂CE_batch/∂θ_i)², on all of D (I_D) and on D_f (I_f):
 * <pre>
 *   for every i with I_f[i] &gt; α·I_D[i]:   θ_i ← min(λ·I_D[i]/I_f[i], 1)·θ_i
 * </pre>
 * Defaults α = 10, λ = 1, batch 128. D is {@code ctx.split().train()}, the whole training set
 * the original saw (D_f included, as in the reference). Pruned weights are 0 and stay 0.
 * Notes: how many weights were dampened.
 */
public final class Ssd implements Method {
    private final double alpha, lambda;
    private final int batchSize;

    /** The hyperparameters and their defaults. */
    public static final MethodSpec SPEC = new MethodSpec("ssd", "selective synaptic dampening: shrink weights far more important to D_f than to D (no training)",
            List.of(new Hyperparameter("alpha", MethodSettings.text(SelectiveSynapticDampening.DEFAULT_ALPHA), "selection weighting α: dampen where I_f > α·I_D"),
                    new Hyperparameter("lambda", MethodSettings.text(SelectiveSynapticDampening.DEFAULT_LAMBDA), "dampening constant λ: θ ← min(λ·I_D/I_f, 1)·θ"),
                    new Hyperparameter("batch", Integer.toString(SgdSettings.BATCH), "batch size of the gradients the Fisher diagonals average")),
            Ssd::new);

    /** α = 10, λ = 1, batch 128. */
    public Ssd() {
        this(SPEC.defaults());
    }

    private Ssd(MethodSettings s) {
        this(s.real("alpha"), s.real("lambda"), s.integer("batch"));
    }

    /**
     * @param alpha     selection weighting α ≥ 0: dampen where I_f &gt; α·I_D
     * @param lambda    dampening constant λ ≥ 0
     * @param batchSize the batches the Fisher diagonals average over
     */
    public Ssd(double alpha, double lambda, int batchSize) {
        if (!(alpha >= 0) || !(lambda >= 0) || Double.isInfinite(alpha) || Double.isInfinite(lambda) || batchSize < 1) {
            throw new IllegalArgumentException("ssd: need finite α ≥ 0, λ ≥ 0 and batch ≥ 1, got α = " + alpha + ", λ = " + lambda + ", batch " + batchSize);
        }
        this.alpha = alpha;
        this.lambda = lambda;
        this.batchSize = batchSize;
    }

    @Override
    public String name() {
        return SPEC.name();
    }

    @Override
    public Unlearned unlearn(UnlearnContext ctx) {
        Module model = Sparsity.start(ctx);
        List<Tensor> full = fisher(model, ctx.split().train());
        List<Tensor> forget = fisher(model, ctx.split().forget());
        long dampened = SelectiveSynapticDampening.dampen(model.parameters(), forget, full, alpha, lambda);
        return new Unlearned(model, Map.of("dampened", Long.toString(dampened)));
    }

    /** I = mean over the batches of {@code data} of (∇θ CE_batch)², at the model's current weights. */
    List<Tensor> fisher(Module model, Dataset data) {
        FisherDiagonal fisher = new FisherDiagonal(model.parameters());
        Gradients.perBatch(model, data, batchSize, BatchLoss.CROSS_ENTROPY, g -> fisher.accumulate(new ArrayList<>(g.values())));
        return fisher.importance();
    }
}
