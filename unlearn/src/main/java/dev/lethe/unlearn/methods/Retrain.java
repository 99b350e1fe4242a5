package dev.lethe.unlearn.methods;

import dev.lethe.nn.Module;
import dev.lethe.train.Trainer;
import dev.lethe.unlearn.Method;
import dev.lethe.unlearn.UnlearnContext;
import dev.lethe.unlearn.Unlearned;

/**
 * Retrain: train from scratch on D_r with the original's recipe, θ_init the original's initial
 * weights ({@code ctx.freshModel()}), the gold standard every metric is compared to. With a
 * sparsity mask m the run starts from θ_init⊙m and never moves the pruned weights. Same
 * recipe and seed as the original, so the only difference is the missing forget set.
 */
public final class Retrain implements Method {
    @Override
    public String name() {
        return "retrain";
    }

    @Override
    public Unlearned unlearn(UnlearnContext ctx) {
        Module model = Sparsity.fresh(ctx);
        Trainer trainer = new Trainer(model, ctx.split().retain(), ctx.recipe());
        Sparsity.constrain(trainer.optimizer(), model, ctx.sparsityMask());
        trainer.fit(null, step -> ctx.onStep().run(), epoch -> {});
        return Unlearned.of(model);
    }
}
