package dev.lethe.unlearn.methods;

import dev.lethe.autograd.NoGrad;
import dev.lethe.data.DataLoader;
import dev.lethe.data.Dataset;
import dev.lethe.nn.Models;
import dev.lethe.nn.Module;
import dev.lethe.optim.Adam;
import dev.lethe.optim.Optimizer;
import dev.lethe.tensor.Tensor;
import dev.lethe.unlearn.Method;
import dev.lethe.unlearn.UnlearnContext;
import dev.lethe.unlearn.Unlearned;

import java.util.List;

/**
 * Bad Teacher (Chundawat et al., "Can bad teaching induce forgetting?"): the student θ,
 * initialised at θ0, is distilled from two frozen teachers at once — an incompetent one (a
 * randomly initialised copy of the architecture) on forget samples and the competent θ0 on
 * retain samples:
 * <pre>
 *   p_target(x) = softmax(f_random(x)/T)  if x ∈ D_f,   softmax(f_θ0(x)/T)  otherwise
 *   minimise KL(p_target‖softmax(f_θ(x)/T))  over shuffled batches of D_f ∪ S,  S ⊂ D_r seeded, |S| = 30 % of |D_r|
 * </pre>
 * Defaults (the reference's): Adam lr 1e-4, 1 epoch, T = 1, retain fraction 0.3; batch 128.
 * The KL is averaged over the batch (batchmean); the reference's {@code F.kl_div} default also
 * divides by the number of classes K, a constant factor that Adam's step size all but ignores.
 */
public final class BadTeacher implements Method {
    private final int epochs, batchSize;
    private final double lr, temperature, retainFraction;

    /** The hyperparameters and their defaults. */
    public static final MethodSpec SPEC = new MethodSpec("badteacher", "distil a random teacher on D_f and θ0 on part of D_r (Adam)",
            List.of(new Hyperparameter("epochs", "1", "passes over D_f ∪ S"),
                    new Hyperparameter("lr", "1e-4", "Adam's learning rate"),
                    new Hyperparameter("batch", Integer.toString(SgdSettings.BATCH), "batch size"),
                    new Hyperparameter("temperature", "1", "softmax temperature T of the teachers and the student"),
                    new Hyperparameter("retain_fraction", "0.3", "share of D_r in S")),
            BadTeacher::new);

    /** Adam lr 1e-4, 1 epoch, batch 128, T = 1, 30 % of D_r. */
    public BadTeacher() {
        this(SPEC.defaults());
    }

    private BadTeacher(MethodSettings s) {
        this(s.integer("epochs"), s.real("lr"), s.integer("batch"), s.real("temperature"), s.real("retain_fraction"));
    }

    /**
     * @param epochs         passes over D_f ∪ S, ≥ 0
     * @param lr             Adam's learning rate, ≥ 0
     * @param batchSize      ≥ 1
     * @param temperature    T &gt; 0 of both teachers and the student
     * @param retainFraction the share of D_r in S, in (0, 1]
     */
    public BadTeacher(int epochs, double lr, int batchSize, double temperature, double retainFraction) {
        if (epochs < 0 || !(lr >= 0) || Double.isInfinite(lr) || batchSize < 1 || !(temperature > 0) || !(retainFraction > 0 && retainFraction <= 1)) {
            throw new IllegalArgumentException("badteacher: need epochs ≥ 0, finite lr ≥ 0, batch ≥ 1, T > 0, retain fraction in (0, 1], got " + epochs
                    + ", " + lr + ", " + batchSize + ", " + temperature + ", " + retainFraction);
        }
        this.epochs = epochs;
        this.lr = lr;
        this.batchSize = batchSize;
        this.temperature = temperature;
        this.retainFraction = retainFraction;
    }

    @Override
    public String name() {
        return SPEC.name();
    }

    @Override
    public Unlearned unlearn(UnlearnContext ctx) {
        Module student = Sparsity.start(ctx);
        Module competent = Sparsity.start(ctx).eval();
        Module incompetent = ctx.onDevice(Models.byName(ctx.modelName(), Batches.seed(ctx, "badteacher/incompetent"))).eval();
        Optimizer opt = new Adam(student.parameters(), lr);
        Sparsity.constrain(opt, student, ctx.sparsityMask());
        int forgetSize = ctx.split().forget().size();
        Dataset data = Dataset.concat(ctx.split().forget(), Batches.sample(ctx.split().retain(), retainFraction, Batches.seed(ctx, "badteacher/retain")));
        DataLoader loader = Batches.shuffled(data, batchSize, Batches.seed(ctx, name()), ctx.device());
        for (int e = 0; e < epochs; e++) {
            TrainingLoop.epoch(student, opt, loader.epoch(e), (m, b) -> Distillation.kl(targetLogProbs(b, forgetSize, incompetent, competent),
                    m.forward(b.inputs()).div(temperature).logSoftmax(1)), ctx.onStep());
        }
        return Unlearned.of(student);
    }

    /** Per row log softmax(f/T) of the incompetent teacher for forget items (index &lt; forgetSize), of θ0 otherwise. */
    private Tensor targetLogProbs(DataLoader.Batch b, int forgetSize, Module incompetent, Module competent) {
        float[] isForget = new float[b.size()];
        for (int i = 0; i < b.size(); i++) isForget[i] = b.indices()[i] < forgetSize ? 1 : 0;
        Tensor f = Tensor.fromArray(isForget, b.size(), 1);
        try (NoGrad ignored = NoGrad.enter()) {
            Tensor bad = incompetent.forward(b.inputs()).div(temperature).logSoftmax(1);
            Tensor good = competent.forward(b.inputs()).div(temperature).logSoftmax(1);
            return Tensor.where(f, bad, good);
        }
    }
}
