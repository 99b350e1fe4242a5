package dev.lethe.bench;

import dev.lethe.cpu.Parallel;
import dev.lethe.tensor.Tensor;

import java.util.ArrayList;
import java.util.List;

/**
 * How the unlearning benchmarks cut {@code size} floats into tensors, like a model's layers:
 * 235,146 is exactly the MLP 784-256-128-10 (weights and biases in
 * {@code model.parameters()} order, the workload of {@code tools/torch_speed.py} section (d));
 * any other size is three tensors of ¾·n − 1000, ¼·n and 1000 elements.
 */
final class ParameterLayout {
    /** The parameter count of the MLP 784-256-128-10. */
    static final int MLP = 235_146;
    /** Its weight count (the three matrices, no biases). */
    static final int MLP_WEIGHTS = 234_752;

    private ParameterLayout() {}

    static int[][] shapes(int size) {
        if (size == MLP) return new int[][] {{256, 784}, {256}, {128, 256}, {128}, {10, 128}, {10}};
        int quarter = size / 4;
        return new int[][] {{size - quarter - 1000}, {quarter}, {1000}};
    }

    /** Seeded N(0, 1) tensors of {@link #shapes(int)}. */
    static List<Tensor> randn(long seed, int size) {
        List<Tensor> out = new ArrayList<>();
        int[][] shapes = shapes(size);
        for (int i = 0; i < shapes.length; i++) out.add(Tensor.randn(seed * 100 + i, shapes[i]));
        return out;
    }

    static List<Tensor> zeros(int size) {
        List<Tensor> out = new ArrayList<>();
        for (int[] s : shapes(size)) out.add(Tensor.zeros(s));
        return out;
    }

    /**
     * The tensors' backing arrays (each fresh tensor owns its whole array), for the plain-loop
     * baselines and the copies, so no benchmark holds a second copy of 400 MB inputs.
     */
    static float[][] arrays(List<Tensor> list) {
        float[][] out = new float[list.size()][];
        for (int i = 0; i < out.length; i++) {
            Tensor t = list.get(i);
            if (t.offset() != 0 || !t.isContiguous() || t.storage().floats().length != t.numel()) throw new IllegalStateException("tensor " + i + " does not own its array");
            out[i] = t.storage().floats();
        }
        return out;
    }

    /** Fresh arrays of the same lengths. */
    static float[][] like(float[][] arrays) {
        float[][] out = new float[arrays.length][];
        for (int i = 0; i < out.length; i++) out[i] = new float[arrays[i].length];
        return out;
    }

    /** System.arraycopy of every array into its twin. */
    static float[][] copy(float[][] from, float[][] to) {
        for (int i = 0; i < from.length; i++) System.arraycopy(from[i], 0, to[i], 0, from[i].length);
        return to;
    }

    /**
     * {@link #copy} on the kernels' threads: each array cut into chunks of 2^16 floats run by
     * {@link Parallel} (as the surgery kernels' passes are), so kernel/copy ratios can be read
     * against a copy using the same thread count.
     */
    static float[][] copyParallel(float[][] from, float[][] to) {
        for (int i = 0; i < from.length; i++) {
            float[] a = from[i], b = to[i];
            Parallel.forChunks(a.length, 1 << 16, (s, e) -> System.arraycopy(a, s, b, s, e - s));
        }
        return to;
    }
}
