package dev.lethe.train;

import dev.lethe.data.DataLoader;
import dev.lethe.data.Dataset;
import dev.lethe.nn.Module;
import dev.lethe.optim.CosineAnnealing;
import dev.lethe.optim.LrScheduler;
import dev.lethe.optim.Optimizer;
import dev.lethe.optim.SGD;
import dev.lethe.tensor.MemoryScope;
import dev.lethe.tensor.Tensor;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Minibatch training of a classifier with a {@link Recipe}: each step computes the mean
 * cross-entropy of a batch, backpropagates, and takes one SGD step (the schedule steps per
 * batch). Batch order is a pure function of (recipe seed, epoch), every kernel is
 * thread-count independent, so the same inputs give the same weights bit for bit.
 */
public final class Trainer {
    private final Module model;
    private final Recipe recipe;
    private final Optimizer optimizer;
    private final LrScheduler schedule;
    private final int stepsPerEpoch;
    /** The training batches; gathered on the model's device (see {@link DataLoader#on}). */
    private DataLoader loader;
    /** The steps' device memory (see {@link StepMemory}). */
    private final StepMemory memory;

    /** A trainer for {@code model} on {@code train} with {@code recipe}; builds its SGD optimiser. */
    public Trainer(Module model, Dataset train, Recipe recipe) {
        if (train.size() == 0) throw new IllegalArgumentException("the training set is empty");
        this.model = model;
        this.recipe = recipe;
        this.optimizer = new SGD(model.parameters(), recipe.lr(), recipe.momentum(), 0, false, recipe.weightDecay());
        this.loader = new DataLoader(train, recipe.batchSize(), true, recipe.seed(), false);
        this.stepsPerEpoch = loader.numBatches();
        this.memory = new StepMemory(model.parameters());
        this.schedule = recipe.schedule() == Recipe.Schedule.COSINE
                ? new CosineAnnealing(optimizer, Math.max(1, recipe.epochs() * stepsPerEpoch)) : null;
    }

    /** The optimiser, e.g. to set parameter masks before training. */
    public Optimizer optimizer() {
        return optimizer;
    }

    /** Batches per epoch. */
    public int stepsPerEpoch() {
        return stepsPerEpoch;
    }

    /**
     * Runs every epoch of the recipe.
     *
     * @param test    evaluated after each epoch (null: skip)
     * @param onStep  called after every step with the number of steps done so far (progress)
     * @param onEpoch called with each epoch's result
     * @return the per-epoch results
     */
    public List<EpochResult> fit(Dataset test, java.util.function.IntConsumer onStep, Consumer<EpochResult> onEpoch) {
        List<EpochResult> results = new ArrayList<>();
        for (int e = 0; e < recipe.epochs(); e++) {
            EpochResult r = epoch(e, test, onStep);
            results.add(r);
            onEpoch.accept(r);
        }
        return results;
    }

    /**
     * One epoch (0-based {@code e}): train on every batch, then evaluate on {@code test}. On a
     * device each step runs in a {@link MemoryScope}: the gradients a step leaves in the
     * parameters are released by the next step (after its {@code zeroGrad}), so a reference to
     * {@code p.grad()} taken between epochs is valid only until the next epoch starts. Gradients
     * a caller put there are never released by the trainer.
     */
    public EpochResult epoch(int e, Dataset test, java.util.function.IntConsumer onStep) {
        model.train();
        long t0 = System.nanoTime();
        int[] step = {0};
        loader = loader.on(model.device());
        EpochTally tally = new EpochTally(model.device(), loader.numBatches(), loader.dataset().size());
        // On a device, the step's memory goes back as the step ends (see StepMemory): its
        // batch, its activations, and last step's gradients once zeroGrad has dropped them.
        memory.forEach(loader.epoch(e), b -> {
            Tensor logits = model.forward(b.inputs()); // the loader gathers on the model's device
            Tensor loss = logits.crossEntropy(b.labels());
            tally.add(loss, logits, b.labels()); // read once the epoch ends, not now
            optimizer.zeroGrad();
            loss.backward();
            optimizer.step();
        }, () -> {
            if (schedule != null) schedule.step();
            onStep.accept(e * stepsPerEpoch + ++step[0]);
        });
        double loss = tally.meanLoss(), accuracy = tally.accuracy(); // waits for the epoch's last step
        double seconds = (System.nanoTime() - t0) / 1e9;
        double testAcc = test == null ? Double.NaN : Evaluation.accuracy(model, test);
        return new EpochResult(e + 1, loss, accuracy, testAcc, seconds);
    }
}
