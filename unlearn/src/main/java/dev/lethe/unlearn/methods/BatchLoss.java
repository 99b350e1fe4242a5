package dev.lethe.unlearn.methods;

import dev.lethe.data.DataLoader;
import dev.lethe.nn.Module;
import dev.lethe.tensor.Tensor;

/**
 * The loss of one batch under the current weights: what a training step differentiates.
 *
 * @param <B> the batch type ({@link DataLoader.Batch}, or {@link Batches.Paired} for methods
 *            that step on a forget batch and a retain batch together)
 */
@FunctionalInterface
public interface BatchLoss<B> {
    /** Mean cross-entropy of the batch against its labels: CE. */
    BatchLoss<DataLoader.Batch> CROSS_ENTROPY = (model, b) -> model.forward(b.inputs()).crossEntropy(b.labels());

    /** −CE: minimising it is gradient ascent on the cross-entropy. */
    BatchLoss<DataLoader.Batch> NEGATIVE_CROSS_ENTROPY = (model, b) -> CROSS_ENTROPY.loss(model, b).neg();

    /** A one-element loss tensor whose graph reaches the model's parameters. */
    Tensor loss(Module model, B batch);
}
