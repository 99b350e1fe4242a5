package dev.lethe.unlearn.methods;

import dev.lethe.nn.Module;
import dev.lethe.optim.Optimizer;
import dev.lethe.tensor.Tensor;
import dev.lethe.train.StepMemory;
import dev.lethe.unlearn.Divergence;

/**
 * The one training loop every iterative method runs: per batch, clear the gradients, compute
 * new ones, take one optimiser step (which honours the optimiser's parameter masks), report
 * the step. The model is in training mode throughout. A loss that is not finite stops the run
 * with a {@link Divergence}: on the CPU before its step can turn the weights into NaN, on a
 * device within {@link LossWatch#READ_EVERY} steps (see {@link LossWatch}). On a device each step's
 * memory goes back as the step ends ({@link StepMemory}), the batch's included (the loop takes
 * it inside the step): a gradient computation must not keep a device tensor it made for a
 * later step.
 */
public final class TrainingLoop {
    /** Leaves ∇ of whatever one step minimises in the parameters' {@code grad()}. */
    @FunctionalInterface
    public interface Gradient<B> {
        void compute(Module model, B batch);
    }

    private TrainingLoop() {}

    /** One pass over {@code batches} minimising {@code loss}: θ ← step(θ, ∇θ loss(θ, batch)). */
    public static <B> void epoch(Module model, Optimizer optimizer, Iterable<B> batches, BatchLoss<B> loss, Runnable onStep) {
        LossWatch watch = LossWatch.on(model.device());
        steps(model, optimizer, batches, (m, b) -> watch.add(loss.loss(m, b)).backward(), () -> {
            watch.afterStep();
            onStep.run();
        });
        watch.finish();
    }

    /**
     * {@code loss}, checked to be finite (read at once: on a device the host waits for it).
     *
     * @throws Divergence if it is NaN or infinite
     */
    public static Tensor finite(Tensor loss, String what) {
        double v = loss.item();
        if (!Double.isFinite(v)) throw divergence(what, v);
        return loss;
    }

    /** The divergence of a {@code what} (a loss) that came out as v. */
    static Divergence divergence(String what, double v) {
        return new Divergence("the " + what + " is " + v + " (try a smaller learning rate)");
    }

    /**
     * One pass over {@code batches} where each step's gradient is computed by {@code gradient}
     * (for updates that are not the gradient of one loss, such as gradient surgery).
     */
    public static <B> void steps(Module model, Optimizer optimizer, Iterable<B> batches, Gradient<B> gradient, Runnable onStep) {
        model.train();
        new StepMemory(model.parameters()).forEach(batches, batch -> {
            optimizer.zeroGrad();
            gradient.compute(model, batch);
            optimizer.step();
        }, onStep);
    }
}
