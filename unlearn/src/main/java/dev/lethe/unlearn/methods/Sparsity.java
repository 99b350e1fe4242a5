package dev.lethe.unlearn.methods;

import dev.lethe.nn.Module;
import dev.lethe.optim.Optimizer;
import dev.lethe.surgery.MagnitudePruning;
import dev.lethe.surgery.ParameterMasks;
import dev.lethe.surgery.Scope;
import dev.lethe.tensor.Tensor;
import dev.lethe.unlearn.UnlearnContext;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Prune-then-unlearn and every other fixed 0/1 parameter mask (parameter name → 0/1 tensor of
 * the parameter's shape). A mask m is kept as w⊙m by two moves: the starting weights are
 * multiplied by m once, and the optimiser never moves the entries where m = 0 (no gradient,
 * momentum or weight decay reaches them; {@link ParameterMasks#installOn}). Together they make
 * the forward pass of every step compute with w⊙m, so pruned weights stay exactly 0 and a
 * saliency mask's frozen weights stay exactly at θ0.
 */
public final class Sparsity {
    private Sparsity() {}

    /**
     * The one-shot global magnitude pruning (OMP) mask of {@code model} at sparsity s: of the
     * Linear and Conv2d weights together (not biases, not norm layers), the ⌊s·n⌋ smallest |w|
     * are pruned. The model is not changed; pass the mask as {@code ctx.sparsityMask()}.
     *
     * @throws IllegalArgumentException if s is outside [0, 1]
     */
    public static Map<String, Tensor> omp(Module model, double sparsity) {
        return MagnitudePruning.masks(MagnitudePruning.select(model, MagnitudePruning.WEIGHTS), sparsity, Scope.GLOBAL).asMap();
    }

    /**
     * The model a method starts from: a copy of θ0 with {@code ctx.sparsityMask()} applied
     * (θ0⊙m; θ0 itself when dense). With a sparsity mask, "θ0" in every method means this pruned
     * original: teachers, saliency and Fisher are taken at it.
     */
    public static Module start(UnlearnContext ctx) {
        return apply(ctx.copyOfOriginal(), ctx.sparsityMask());
    }

    /** A fresh initialisation with the sparsity mask applied, Retrain's starting point. */
    public static Module fresh(UnlearnContext ctx) {
        return apply(ctx.freshModel(), ctx.sparsityMask());
    }

    /**
     * w ← w⊙m in place for every masked parameter (pruned entries become +0); returns the model.
     *
     * @throws IllegalArgumentException naming a mask without a parameter of its name and shape,
     *         or a mask value other than 0 and 1
     */
    public static Module apply(Module model, Map<String, Tensor> masks) {
        new ParameterMasks(masks).applyTo(model);
        return model;
    }

    /** Installs every mask on {@code optimizer}, whose parameters must be the model's (errors as {@link #apply}). */
    public static void constrain(Optimizer optimizer, Module model, Map<String, Tensor> masks) {
        new ParameterMasks(masks).installOn(optimizer, model);
    }

    /** The element-wise product of two masks (a name missing from one side is unmasked there). */
    public static LinkedHashMap<String, Tensor> intersect(Map<String, Tensor> a, Map<String, Tensor> b) {
        LinkedHashMap<String, Tensor> out = new LinkedHashMap<>(a);
        b.forEach((name, m) -> out.merge(name, m, Tensor::mul));
        return out;
    }
}
