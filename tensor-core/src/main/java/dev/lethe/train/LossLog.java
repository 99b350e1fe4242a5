package dev.lethe.train;

import dev.lethe.tensor.DType;
import dev.lethe.tensor.Device;
import dev.lethe.tensor.MemoryScope;
import dev.lethe.tensor.Tensor;

/**
 * Training steps' losses kept where they were computed, to be read together later: each step's
 * one-element float32 loss is copied into a buffer on its device (a device-to-device copy
 * queued behind the step's kernels, so the host does not wait for the GPU), and {@link #drain}
 * brings the recorded ones back in one copy. The buffer is made outside any {@link MemoryScope},
 * since it outlives the steps. On the CPU it is a host array and recording costs a copy of one
 * float. {@link EpochTally} (an epoch's mean loss) and the unlearning methods' loss check use it.
 */
public final class LossLog {
    private final Tensor buffer;
    private int count;

    /** Room for {@code capacity} losses (at least one) on {@code device}. */
    public LossLog(Device device, int capacity) {
        buffer = MemoryScope.outside(() -> Tensor.zeros(DType.FLOAT32, device, Math.max(capacity, 1)));
    }

    /** Where the losses are kept. */
    public Device device() {
        return buffer.device();
    }

    /** Losses recorded since the last {@link #drain}. */
    public int size() {
        return count;
    }

    /** Records {@code loss}: a float32 tensor of one element on {@link #device()}, with room left. */
    public void add(Tensor loss) {
        buffer.narrow(0, count++, 1).copy_(loss.detach().reshape(1));
    }

    /** The losses recorded since the last drain, in order (one read of the device); the log then starts again empty. */
    public float[] drain() {
        float[] out = count == 0 ? new float[0] : buffer.narrow(0, 0, count).toFloatArray();
        count = 0;
        return out;
    }

    /** Gives the buffer's device memory back; the log is not used after. */
    public void release() {
        buffer.storage().release();
    }
}
