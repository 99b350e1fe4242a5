package dev.lethe.unlearn.methods;

import dev.lethe.nn.Module;
import dev.lethe.surgery.ParameterMasks;
import dev.lethe.surgery.SaliencyMask;
import dev.lethe.surgery.Scope;
import dev.lethe.surgery.Wagle;
import dev.lethe.tensor.Tensor;
import dev.lethe.unlearn.Method;
import dev.lethe.unlearn.UnlearnContext;
import dev.lethe.unlearn.Unlearned;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * WAGLE (Jia et al., "WAGLE: strategic weight attribution for effective and modular
 * unlearning") on GradDiff: attribute each weight's role in unlearning, then let GradDiff move
 * only the top fraction.
 * <pre>
 *   g_r = Σ_batches ∇θ CE(D_r batch),  g_f = Σ_batches ∇θ CE(D_f batch)   at θ0, eval mode
 *   s_i = |(θ_i − g_r,i/μ)·g_f,i|
 *   m_i = 1 if s_i is among the global top fraction of s, else 0
 *   {@link GradDiff} with every gradient multiplied by m (masked-out weights stay at θ0)
 * </pre>
 * Defaults: μ = 1e-3, fraction 0.5, GradDiff's defaults (its learning rate chosen per request
 * by the same rule, the RA sample seeded by "wagle"); batch 128 for the gradient sums. The
 * mask is held by the optimiser as SalUn's is, so with fraction 1 this is exactly GradDiff.
 * Notes: the mask's fraction and kept count.
 */
public final class WagleGradDiff implements Method {
    private final GradDiff gradDiff;
    private final double mu, fraction;
    private final int batchSize;

    /** The hyperparameters and their defaults: GradDiff's, μ and the mask's fraction. */
    public static final MethodSpec SPEC = new MethodSpec("wagle", "GradDiff moving only the top fraction of weights by the WAGLE score |(θ − g_r/μ)·g_f|",
            Hyperparameter.concat(GradDiff.SPEC.hyperparameters(),
                    new Hyperparameter("mu", MethodSettings.text(Wagle.DEFAULT_MU), "μ of the score"),
                    new Hyperparameter("fraction", MethodSettings.text(SaliencyMask.DEFAULT_FRACTION), "share of all weights GradDiff may move (global top by score)")),
            WagleGradDiff::new);

    /** μ = 1e-3, fraction 0.5, GradDiff's defaults. */
    public WagleGradDiff() {
        this(SPEC.defaults());
    }

    private WagleGradDiff(MethodSettings s) {
        this(new GradDiff(LearningRateRule.from(s), SgdSettings.withoutLr(s), s.real("alpha")), s.real("mu"), s.real("fraction"), s.integer("batch"));
    }

    /**
     * @param gradDiff  the base method
     * @param mu        μ &gt; 0
     * @param fraction  the share of weights GradDiff may move, in [0, 1]
     * @param batchSize the batches the gradient sums run over
     */
    public WagleGradDiff(GradDiff gradDiff, double mu, double fraction, int batchSize) {
        if (!(mu > 0) || Double.isInfinite(mu) || batchSize < 1) throw new IllegalArgumentException("wagle: need finite μ > 0 and batch ≥ 1, got μ = " + mu + ", batch " + batchSize);
        SaliencyMask.keepCount(0, fraction); // rejects a fraction outside [0, 1]
        this.gradDiff = gradDiff;
        this.mu = mu;
        this.fraction = fraction;
        this.batchSize = batchSize;
    }

    @Override
    public String name() {
        return SPEC.name();
    }

    @Override
    public Unlearned unlearn(UnlearnContext ctx) {
        ParameterMasks attribution = mask(Sparsity.start(ctx), ctx);
        Unlearned u = gradDiff.unlearn(ctx, name(), Sparsity.intersect(ctx.sparsityMask(), attribution.asMap()));
        LinkedHashMap<String, String> notes = new LinkedHashMap<>(u.notes());
        notes.put("maskFraction", Double.toString(fraction));
        notes.put("maskKept", Long.toString(attribution.kept()));
        return new Unlearned(u.model(), notes);
    }

    /** The WAGLE mask at the model's current weights (θ0). */
    ParameterMasks mask(Module model, UnlearnContext ctx) {
        Map<String, Tensor> gr = Gradients.sum(model, ctx.split().retain(), batchSize, BatchLoss.CROSS_ENTROPY);
        Map<String, Tensor> gf = Gradients.sum(model, ctx.split().forget(), batchSize, BatchLoss.CROSS_ENTROPY);
        var scores = Wagle.scores(model.parameters(), new ArrayList<>(gr.values()), new ArrayList<>(gf.values()), mu);
        return SaliencyMask.masksFromScores(new ArrayList<>(gr.keySet()), scores, fraction, Scope.GLOBAL);
    }
}
