package dev.lethe.surgery;

import dev.lethe.backend.SurgeryKernels;
import dev.lethe.tensor.DType;
import dev.lethe.tensor.MemoryScope;
import dev.lethe.tensor.Tensor;

import java.util.ArrayList;
import java.util.List;

/**
 * The diagonal of the empirical Fisher information, accumulated batch by batch:
 * <pre>
 *   I = (1/B)·Σ_b g_b ⊙ g_b      (SQUARED, the default)
 *   I = (1/B)·Σ_b |g_b|           (ABSOLUTE, SSD's label-free variant)
 * </pre>
 * where g_b is the gradient of batch b's loss (e.g. the batch-mean cross-entropy), one tensor
 * per parameter. As SSD's reference code does, the running sum is float32 and each batch adds
 * the rounded g² (two roundings), and the mean divides the sum by B in float32.
 *
 * <p>A NaN gradient is refused with an {@link IllegalArgumentException} naming the batch,
 * tensor and element; the running sum then holds NaN, so this accumulator refuses every later
 * call ({@link IllegalStateException}) instead of returning a wrong importance.
 *
 * <p>Where it lives: when the parameters given to the constructor are on a device that offers
 * {@link SurgeryKernels}, the running sum lives there and each batch is one kernel pass per
 * tensor (no host copy; the same bits as the CPU's pass), and {@link #importance()} returns
 * tensors on that device. Otherwise the sum is on the host and device gradients are read through
 * host copies.
 */
public final class FisherDiagonal {
    /** What each batch adds: g² or |g|. */
    public enum Mode { SQUARED, ABSOLUTE }

    private static final String OP = "Fisher diagonal";

    private final Mode mode;
    private final List<Tensor> sum;
    private int batches;
    private String poisoned;

    /** An accumulator of squared gradients for parameters shaped like {@code like}. */
    public FisherDiagonal(List<Tensor> like) {
        this(like, Mode.SQUARED);
    }

    /** An accumulator for parameters shaped like {@code like} (their values are not read). */
    public FisherDiagonal(List<Tensor> like, Mode mode) {
        this.mode = mode;
        this.sum = DeviceSurgery.kernelsFor(like) != null ? MemoryScope.outside(() -> zerosOnDevice(like)) : TopK.zerosLike(OP, like);
    }

    /**
     * Zeros shaped like {@code like} on its device, kept outside any {@link MemoryScope} (the
     * running sum outlives the step it is made in).
     */
    private static List<Tensor> zerosOnDevice(List<Tensor> like) {
        return like.stream().map(t -> Tensor.zeros(DType.FLOAT32, t.device(), t.shape())).toList();
    }

    public Mode mode() {
        return mode;
    }

    /** Batches accumulated so far (B). */
    public int batches() {
        return batches;
    }

    /**
     * Adds one batch: sum ← sum + g² (or |g|), B ← B + 1. Non-contiguous gradients are read
     * through a copy.
     *
     * @throws IllegalArgumentException if the gradients' count or shapes differ from the
     *         parameters', a tensor is not float32, or a gradient is NaN
     * @throws IllegalStateException if an earlier batch held a NaN
     */
    public void accumulate(List<Tensor> grads) {
        requireClean();
        SurgeryKernels kernels = DeviceSurgery.kernelsFor(sum, grads); // null while the sum is on the host
        if (kernels != null) {
            FlatList.requireSameShapes(OP, "parameters", sum, grads, "gradients", 0);
            boolean nan = kernels.accumulate(sum, DeviceSurgery.contiguous(grads), mode == Mode.SQUARED);
            for (Tensor t : sum) t.storage().bumpVersion();
            if (nan) poison(FlatList.input(OP, "gradients", grads));
            batches++;
            return;
        }
        FlatList s = FlatList.output(OP, "importance", sum);
        FlatList g = FlatList.input(OP, "gradients", grads);
        s.requireSameShapes(OP, "parameters", g, "gradients");
        boolean nan = VectorPasses.accumulate(s, g, mode == Mode.SQUARED);
        s.bumpVersions(); // a sum on a device was staged on the host: this writes it back
        if (nan) poison(g);
        batches++;
    }

    /** Marks this accumulator unusable (its sums hold NaN) and throws, naming g's first NaN. */
    private void poison(FlatList g) {
        poisoned = "batch " + batches + " " + firstNaN(g);
        throw new IllegalArgumentException("Fisher diagonal: " + poisoned + " is NaN; gradients must not be NaN");
    }

    /**
     * Adds the gradients the parameters hold ({@code p.grad()}) as one batch.
     *
     * @throws IllegalArgumentException if a parameter has no gradient (naming its index), or as {@link #accumulate}
     */
    public void accumulateGradients(List<Tensor> params) {
        List<Tensor> grads = new ArrayList<>(params.size());
        for (int i = 0; i < params.size(); i++) {
            Tensor g = params.get(i).grad();
            if (g == null) throw new IllegalArgumentException("Fisher diagonal: parameter " + i + " has no gradient; run backward first");
            grads.add(g);
        }
        accumulate(grads);
    }

    /**
     * The mean I = sum / B, as fresh float32 tensors shaped like the parameters.
     *
     * @throws IllegalStateException if no batch was accumulated, or one held a NaN
     */
    public List<Tensor> importance() {
        requireClean();
        if (batches == 0) throw new IllegalStateException("Fisher diagonal: no batch accumulated yet");
        if (!sum.isEmpty() && !sum.get(0).device().isCpu()) {
            // x / B in float32, as the host pass divides (div(double) would multiply by 1/B)
            Tensor b = Tensor.scalar(batches).to(sum.get(0).device());
            return sum.stream().map(t -> t.div(b)).toList();
        }
        List<Tensor> out = TopK.zerosLike(OP, sum);
        FlatList o = FlatList.output(OP, "importance", out);
        VectorPasses.divide(FlatList.input(OP, "importance", sum), batches, o);
        return out;
    }

    private void requireClean() {
        if (poisoned != null) throw new IllegalStateException("Fisher diagonal: unusable since " + poisoned + " was NaN; start a new accumulator");
    }

    private static String firstNaN(FlatList g) {
        for (int t = 0; t < g.size(); t++) {
            for (int i = 0; i < g.lengths[t]; i++) if (Float.isNaN(g.arrays[t][g.offsets[t] + i])) return "gradient tensor " + t + " element " + i;
        }
        throw new AssertionError("a NaN was seen but not found");
    }
}
