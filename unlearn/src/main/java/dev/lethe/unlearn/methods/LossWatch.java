package dev.lethe.unlearn.methods;

import dev.lethe.tensor.DType;
import dev.lethe.tensor.Device;
import dev.lethe.tensor.MemoryScope;
import dev.lethe.tensor.Tensor;
import dev.lethe.unlearn.Divergence;

/**
 * Watches a training loop's losses for NaN or ∞ ({@link TrainingLoop#finite}'s check) without
 * making a device wait for every step. On the CPU each loss is read as it comes, so a
 * non-finite one stops the run before its optimiser step. On a device each step's float32 loss
 * is copied into a buffer there, queued behind the step's kernels, and the buffer is read every
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

    /** The device buffer of the losses not yet read; null on the CPU. */
    private final Tensor pending;
    private int count;

    private LossWatch(Tensor pending) {
        this.pending = pending;
    }

    /** A watch for a loop whose losses live on {@code device}. */
    static LossWatch on(Device device) {
        if (device.isCpu()) return new LossWatch(null);
        return new LossWatch(MemoryScope.outside(() -> Tensor.zeros(DType.FLOAT32, device, READ_EVERY)));
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
        pending.narrow(0, count++, 1).copy_(loss.detach().reshape(1));
        return loss;
    }

    /** After each step: reads the buffer once it is full. */
    void afterStep() {
        if (count == READ_EVERY) check();
    }

    /** When the loop ends: reads what is left and gives the buffer back. */
    void finish() {
        check();
        if (pending != null) pending.storage().release();
    }

    /**
     * @throws Divergence naming the first recorded loss that is NaN or infinite
     */
    private void check() {
        if (count == 0) return;
        float[] losses = pending.narrow(0, 0, count).toFloatArray();
        count = 0;
        for (float v : losses) {
            if (!Float.isFinite(v)) throw TrainingLoop.divergence("loss", v);
        }
    }
}
