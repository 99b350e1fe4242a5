package dev.lethe.ops;

import dev.lethe.tensor.Shapes;
import dev.lethe.tensor.Tensor;

import java.util.Arrays;

/**
 * Checks and conversions for integer arguments of the indexing and loss ops (indices,
 * class targets), with messages that name the op, the bad value and the shape it missed.
 */
final class IndexChecks {
    private IndexChecks() {}

    /**
     * Every {@code index[i]} must lie in [0, size).
     *
     * @param what what the values are, e.g. {@code "index"} or {@code "target"}
     * @param where what they index, e.g. {@code "dim 0 of shape [3, 4]"}
     */
    static void inRange(String op, String what, int[] index, int size, String where) {
        for (int i = 0; i < index.length; i++) {
            if (index[i] < 0 || index[i] >= size) {
                throw new IllegalArgumentException(op + ": " + what + " " + index[i] + " at position " + i + " is out of range [0, "
                        + size + ") for " + where);
            }
        }
    }

    /**
     * The values of a tensor holding integers (in any float dtype), in row-major order.
     *
     * @throws IllegalArgumentException if some value is not an integer
     */
    static int[] integers(String op, String what, Tensor t) {
        double[] v = t.detach().toDoubleArray();
        int[] out = new int[v.length];
        for (int i = 0; i < v.length; i++) {
            out[i] = (int) v[i];
            if (out[i] != v[i]) {
                throw new IllegalArgumentException(op + ": " + what + " tensor of shape " + Shapes.str(t.shape()) + " holds " + v[i]
                        + " at position " + i + ", not an integer");
            }
        }
        return out;
    }

    /** Class targets for an [N, C] input: one per row, each in [0, C). */
    static void targets(String op, int[] targets, int[] inputShape) {
        if (targets.length != inputShape[0]) {
            throw new IllegalArgumentException(op + ": " + targets.length + " targets for input of shape " + Shapes.str(inputShape)
                    + " (expected " + inputShape[0] + ")");
        }
        for (int i = 0; i < targets.length; i++) {
            if (targets[i] < 0 || targets[i] >= inputShape[1]) {
                throw new IllegalArgumentException(op + ": target " + targets[i] + " at position " + i + " is out of range for C = "
                        + inputShape[1] + " classes (input shape " + Shapes.str(inputShape) + ")");
            }
        }
    }

    /** The shape {@code shape} with {@code extra} appended. */
    static int[] append(int[] shape, int extra) {
        int[] s = Arrays.copyOf(shape, shape.length + 1);
        s[shape.length] = extra;
        return s;
    }
}
