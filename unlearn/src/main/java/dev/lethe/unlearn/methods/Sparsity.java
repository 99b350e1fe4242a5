package dev.lethe.unlearn.methods;

import dev.lethe.autograd.NoGrad;
import dev.lethe.nn.Module;
import dev.lethe.optim.Optimizer;
import dev.lethe.tensor.Shapes;
import dev.lethe.tensor.Tensor;
import dev.lethe.unlearn.UnlearnContext;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Prune-then-unlearn and every other fixed 0/1 parameter mask. A mask m (parameter name → 0/1
 * tensor of the parameter's shape) is kept as w⊙m by two moves: the starting weights are
 * multiplied by m once, and the optimiser is told never to move the entries where m = 0
 * ({@link Optimizer#setMask}: no gradient, momentum or weight decay reaches them). Together
 * they make the forward pass of every step compute with w⊙m, so pruned weights stay exactly 0
 * and a saliency mask's frozen weights stay exactly at θ0.
 */
public final class Sparsity {
    private Sparsity() {}

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

    /** w ← w⊙m in place for every masked parameter (pruned entries become +0); returns the model. */
    public static Module apply(Module model, Map<String, Tensor> masks) {
        Map<String, Tensor> params = model.namedParameters();
        try (NoGrad ignored = NoGrad.enter()) {
            masks.forEach((name, m) -> {
                Tensor p = parameter(params, name, m, "apply");
                p.copy_(Tensor.where(m, p, Tensor.scalar(0, p.dtype()))); // +0, where w·0 would leave −0 for negative w
            });
        }
        return model;
    }

    /** Installs every mask on {@code optimizer}, whose parameters must be the model's. */
    public static void constrain(Optimizer optimizer, Module model, Map<String, Tensor> masks) {
        Map<String, Tensor> params = model.namedParameters();
        masks.forEach((name, m) -> optimizer.setMask(parameter(params, name, m, "constrain"), m));
    }

    /** The element-wise product of two masks (a name missing from one side is unmasked there). */
    public static LinkedHashMap<String, Tensor> intersect(Map<String, Tensor> a, Map<String, Tensor> b) {
        LinkedHashMap<String, Tensor> out = new LinkedHashMap<>(a);
        b.forEach((name, m) -> out.merge(name, m, Tensor::mul));
        return out;
    }

    /** The number of entries where the masks are 1. */
    public static long kept(Map<String, Tensor> masks) {
        long n = 0;
        for (Tensor m : masks.values()) for (float v : m.toFloatArray()) if (v != 0) n++;
        return n;
    }

    private static Tensor parameter(Map<String, Tensor> params, String name, Tensor mask, String op) {
        Tensor p = params.get(name);
        if (p == null) throw new IllegalArgumentException("sparsity." + op + ": the model has no parameter '" + name + "'; it has " + params.keySet());
        if (!Arrays.equals(p.shape(), mask.shape())) {
            throw new IllegalArgumentException("sparsity." + op + ": mask for '" + name + "' is " + Shapes.str(mask.shape()) + ", the parameter is "
                    + Shapes.str(p.shape()));
        }
        return p;
    }
}
