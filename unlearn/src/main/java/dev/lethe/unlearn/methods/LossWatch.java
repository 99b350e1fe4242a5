package dev.lethe.unlearn.methods;

import dev.lethe.tensor.DType;
import dev.lethe.tensor.Device;
import dev.lethe.tensor.Tensor;
import dev.lethe.train.LossLog;
import dev.lethe.unlearn.Divergence;

/**
 * Watches a training loop's losses for NaN or ∞ ({@link TrainingLoop#finite}'s check) without
 * making a device wait for every step. On the CPU each loss is read as it comes, so a
 * non-finite one stops the run before its optimiser step. On a device each step's float32 loss
 * is kept there ({@link LossLog}), queued behind the step's kernels, and the log is read every
 * {@link #READ_EVERY} steps and when the loop ends: one wait for the GPU in that many steps
 * instead of one a step, so the host can queue the next steps while the GPU runs the last. A
 * non-finite loss then stops the run with the same {@link Divergence}, at most READ_EVERY − 1
 * steps later, with weights that have gone non-finite meanwhile: the harness records a diverged
 * run's divergence instead of its metrics, and a learning-rate rule discards the candidate, so
 * nothing reads them. A run that never diverges computes exactly what it did before.
 */
final class LossWatch {
    /** Steps between reads of the losses on a device. */
    static final int READ_EVERY = 32;

    /** The losses not yet read, on the device; null on the CPU. */
    private final LossLog pending;

    private LossWatch(LossLog pending) {
        this.pending = pending;
    }

    /** A watch for a loop whose losses live on {@code device}. */
    static LossWatch on(Device device) {
        return new LossWatch(device.isCpu() ? null : new LossLog(device, READ_EVERY));
    }

    /**
     * Records one step's loss and returns it (to call backward on).
     *
     * @throws Divergence on the CPU, or for a loss that is not float32, if it is NaN or infinite
     */
    Tensor add(Tensor loss) {
        if (pending == null || loss.dtype() != DType.FLOAT32 || !loss.device().equals(pending.device()) || loss.numel() != 1) {
            return TrainingLoop.finite(loss, "loss");
        }
        pending.add(loss);
        return loss;
    }

    /** After each step: reads the log once it is full. */
    void afterStep() {
        if (pending != null && pending.size() == READ_EVERY) check();
    }

    /** When the loop ends: reads what is left and gives the log's memory back. */
    void finish() {
        if (pending == null) return;
        check();
        pending.release();
    }

    /**
     * @throws Divergence naming the first recorded loss that is NaN or infinite
     */
    private void check() {
        for (float v : pending.drain()) {
            if (!Float.isFinite(v)) throw TrainingLoop.divergence("loss", v);
        }
    }
}
