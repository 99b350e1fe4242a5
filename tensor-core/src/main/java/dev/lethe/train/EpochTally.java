package dev.lethe.train;

import dev.lethe.tensor.DType;
import dev.lethe.tensor.Device;
import dev.lethe.tensor.MemoryScope;
import dev.lethe.tensor.Tensor;

/**
 * A training epoch's mean loss and accuracy, gathered without reading the device at every step.
 * Each step's loss ({@link LossLog}) and arg-max predictions are copied into buffers on the model's device
 * (device-to-device copies, queued behind the step's kernels), and the buffers come back once,
 * when the epoch is read. The host then forms
 * <pre>
 *   mean loss = Σ_b loss_b·|b| / Σ_b |b|        (float64, batches in step order)
 *   accuracy  = 100 · #{i : argmax_i = y_i} / Σ_b |b|
 * </pre>
 * exactly as reading each step's values at once would form them, bit for bit; but a GPU no
 * longer drains its queue for the host twice a step, so the host can queue the next steps
 * while the GPU runs the last ones. On the CPU the "device" buffers are host arrays.
 */
final class EpochTally {
    private final LossLog losses;
    private final Tensor predictions;
    private final int[] labels, sizes;
    private int steps, seen;
    private float[] lossValues, predicted;

    /** Room for {@code maxSteps} steps of {@code maxSamples} samples in all, on {@code device} (outside any memory scope). */
    EpochTally(Device device, int maxSteps, int maxSamples) {
        losses = new LossLog(device, maxSteps);
        predictions = MemoryScope.outside(() -> Tensor.zeros(DType.FLOAT32, device, Math.max(maxSamples, 1)));
        labels = new int[maxSamples];
        sizes = new int[maxSteps];
    }

    /** Records one step: its loss (one element) and its batch's logits [b, classes] with the b labels. */
    void add(Tensor loss, Tensor logits, int[] batchLabels) {
        if (loss.dtype() != DType.FLOAT32) {
            // the buffer would round a float64 loss; Lethe's optimisers train float32 parameters only
            throw new IllegalArgumentException("trainer: the loss is " + loss.dtype() + "; the epoch's tally keeps float32 losses");
        }
        int b = batchLabels.length;
        losses.add(loss);
        predictions.narrow(0, seen, b).copy_(logits.detach().argmax(1, false));
        System.arraycopy(batchLabels, 0, labels, seen, b);
        sizes[steps++] = b;
        seen += b;
    }

    /** Samples recorded so far. */
    int seen() {
        return seen;
    }

    /** Σ_b loss_b·|b| / Σ_b |b|, NaN before any step. */
    double meanLoss() {
        read();
        double sum = 0;
        for (int s = 0; s < steps; s++) sum += lossValues[s] * (double) sizes[s];
        return sum / seen;
    }

    /** Percent of the recorded samples whose arg-max is their label, NaN before any step. */
    double accuracy() {
        read();
        long right = 0;
        for (int i = 0; i < seen; i++) if ((int) predicted[i] == labels[i]) right++;
        return 100.0 * right / seen;
    }

    /** Brings both buffers to the host, once, and gives their device memory back then. */
    private void read() {
        if (lossValues != null) return;
        lossValues = losses.drain();
        predicted = predictions.toFloatArray();
        losses.release();
        predictions.storage().release();
    }
}
