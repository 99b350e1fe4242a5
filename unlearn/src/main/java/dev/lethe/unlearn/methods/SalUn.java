package dev.lethe.unlearn.methods;

import dev.lethe.nn.Module;
import dev.lethe.surgery.ParameterMasks;
import dev.lethe.surgery.SaliencyMask;
import dev.lethe.surgery.Scope;
import dev.lethe.tensor.Tensor;
import dev.lethe.unlearn.Method;
import dev.lethe.unlearn.UnlearnContext;
import dev.lethe.unlearn.Unlearned;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * SalUn (Fan et al., "SalUn: empowering machine unlearning via gradient-based weight saliency"):
 * random labelling restricted to the weights that matter most for the forget set.
 * <pre>
 *   g   = Σ_batches ∇θ(−CE(D_f batch)) at θ0, model in eval mode
 *   m_i = 1 if |g_i| is among the top fraction r of all |g| (every parameter tensor, biases
 *         and norm γ/β included; one global threshold), else 0
 *   θ_u = m⊙(θ0 + Δ) + (1 − m)⊙θ0,  Δ from {@link RandomLabel RL} with every gradient multiplied by m
 * </pre>
 * The mask is a hard constraint: the optimiser never moves an entry with m = 0 (no gradient,
 * momentum or weight decay — the reference code let weight decay move them, a bug), so those
 * weights end exactly at θ0. Defaults: r = 0.5, RL's 5 epochs, lr 0.01, SGD momentum 0.9,
 * batch 128 (the mask's batches too). RL's batches and labels are its own stream, so with
 * r = 1 SalUn is exactly RL. With a sparsity mask the saliency mask is taken over every entry
 * and intersected with it. Notes: the mask's fraction and kept count.
 */
public final class SalUn implements Method {
    private final RandomLabel rl;
    private final double fraction;
    private final int maskBatchSize;

    /** The hyperparameters and their defaults. */
    public static final MethodSpec SPEC = new MethodSpec("salun", "RL moving only the top fraction of weights by |∇ forget loss| at θ0",
            Hyperparameter.concat(SgdSettings.hyperparameters("5", "RL's epochs over D_f ∪ D_r", "0.01", "0.9"),
                    new Hyperparameter("fraction", MethodSettings.text(SaliencyMask.DEFAULT_FRACTION), "share r of all weights RL may move (global top r by saliency)")),
            SalUn::new);

    /** r = 0.5; RL with 5 epochs, lr 0.01, momentum 0.9, batch 128. */
    public SalUn() {
        this(SPEC.defaults());
    }

    private SalUn(MethodSettings s) {
        this(SgdSettings.from(s), s.real("fraction"));
    }

    /** @param fraction r ∈ [0, 1], the share of weights RL may move */
    public SalUn(SgdSettings settings, double fraction) {
        SaliencyMask.keepCount(0, fraction); // rejects r outside [0, 1]
        this.rl = new RandomLabel(settings);
        this.fraction = fraction;
        this.maskBatchSize = settings.batchSize();
    }

    @Override
    public String name() {
        return SPEC.name();
    }

    @Override
    public Unlearned unlearn(UnlearnContext ctx) {
        Module model = Sparsity.start(ctx);
        ParameterMasks saliency = saliency(model, ctx);
        Map<String, Tensor> masks = Sparsity.intersect(ctx.sparsityMask(), saliency.asMap());
        rl.train(ctx, model, masks);
        LinkedHashMap<String, String> notes = new LinkedHashMap<>();
        notes.put("maskFraction", Double.toString(fraction));
        notes.put("maskKept", Long.toString(saliency.kept()));
        return new Unlearned(model, notes);
    }

    /** The saliency mask at the model's current weights (θ0): global top fraction r of |Σ ∇θ(−CE(D_f))|. */
    ParameterMasks saliency(Module model, UnlearnContext ctx) {
        LinkedHashMap<String, Tensor> g = Gradients.sum(model, ctx.split().forget(), maskBatchSize, BatchLoss.NEGATIVE_CROSS_ENTROPY);
        return SaliencyMask.masksFromGradients(new ArrayList<>(g.keySet()), new ArrayList<>(g.values()), fraction, Scope.GLOBAL);
    }
}
