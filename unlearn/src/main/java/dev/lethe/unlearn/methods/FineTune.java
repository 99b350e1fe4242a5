package dev.lethe.unlearn.methods;

import dev.lethe.data.DataLoader;
import dev.lethe.nn.Module;
import dev.lethe.optim.Optimizer;
import dev.lethe.unlearn.Method;
import dev.lethe.unlearn.UnlearnContext;
import dev.lethe.unlearn.Unlearned;

/**
 * FT (fine-tuning): starting from θ0, minimise CE on D_r, relying on catastrophic forgetting
 * to wash D_f out: θ ← θ − η·∇θ CE(D_r batch), SGD with momentum. Defaults: 5 epochs, lr 0.01,
 * momentum 0.9, no weight decay, batch 128 (the reference runs 10 epochs with weight decay
 * 5e-4 on CIFAR-10).
 */
public final class FineTune implements Method {
    private final SgdSettings settings;

    /** The hyperparameters and their defaults. */
    public static final MethodSpec SPEC = new MethodSpec("ft", "fine-tune on D_r: minimise CE(D_r)",
            SgdSettings.hyperparameters("5", "epochs over D_r", "0.01", "0.9"), FineTune::new);

    /** 5 epochs, lr 0.01, momentum 0.9, batch 128. */
    public FineTune() {
        this(SPEC.defaults());
    }

    private FineTune(MethodSettings s) {
        this(SgdSettings.from(s));
    }

    public FineTune(SgdSettings settings) {
        this.settings = settings;
    }

    @Override
    public String name() {
        return SPEC.name();
    }

    @Override
    public Unlearned unlearn(UnlearnContext ctx) {
        Module model = Sparsity.start(ctx);
        Optimizer opt = settings.optimizer(model, ctx.sparsityMask());
        DataLoader retain = Batches.shuffled(ctx.split().retain(), settings.batchSize(), Batches.seed(ctx, name()), ctx.device());
        for (int e = 0; e < settings.epochs(); e++) TrainingLoop.epoch(model, opt, retain.epoch(e), BatchLoss.CROSS_ENTROPY, ctx.onStep());
        return Unlearned.of(model);
    }
}
