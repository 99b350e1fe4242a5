package dev.lethe.cuda;

import dev.lethe.tensor.Shapes;

import java.util.Arrays;

/**
 * The {@code Layout} struct of {@code lethe.cuh}: an iteration shape and the strides of up to
 * three operands over it (0 on broadcast dims). Element i of the shape (row-major) sits at
 * Σ_d coord_d(i)·stride[k][d] in operand k.
 *
 * <p>Before packing, dims of size 1 are dropped and neighbouring dims merged where every
 * operand steps through them as one (stride[d] = stride[d+1]·shape[d+1]), so a contiguous
 * operand of any rank becomes rank 1 and the kernel's index arithmetic stays short.
 */
final class Layout {
    static final int MAX_RANK = 8;
    static final int OPERANDS = 3;

    private final int[] shape;
    private final int[][] strides;

    private Layout(int[] shape, int[][] strides) {
        this.shape = shape;
        this.strides = strides;
    }

    /**
     * The merged layout of {@code shape} with the operands' strides.
     *
     * @throws IllegalArgumentException if more than {@value #MAX_RANK} dims remain after merging
     */
    static Layout of(int[] shape, int[]... operandStrides) {
        return build(shape, operandStrides, true);
    }

    /** The layout as given, without dropping or merging dims (gather and scatter need the indexed dim where it is). */
    static Layout unmerged(int[] shape, int[]... operandStrides) {
        return build(shape, operandStrides, false);
    }

    private static Layout build(int[] shape, int[][] operandStrides, boolean merge) {
        if (operandStrides.length > OPERANDS) throw new IllegalArgumentException("layout: at most " + OPERANDS + " operands, got " + operandStrides.length);
        int n = shape.length;
        int[] s = new int[n];
        int[][] st = new int[operandStrides.length][n];
        int r = 0;
        for (int d = 0; d < n; d++) {
            if (merge && shape[d] == 1) continue;
            if (merge && r > 0 && mergeable(shape[d], d, r - 1, operandStrides, st)) {
                s[r - 1] *= shape[d];
                for (int k = 0; k < st.length; k++) st[k][r - 1] = operandStrides[k][d];
                continue;
            }
            s[r] = shape[d];
            for (int k = 0; k < st.length; k++) st[k][r] = operandStrides[k][d];
            r++;
        }
        if (r == 0) { // a scalar, or all dims of size 1
            return new Layout(new int[] {1}, zeroStrides(st.length, 1));
        }
        if (r > MAX_RANK) {
            throw new IllegalArgumentException("cuda: shape " + Shapes.str(shape) + " has " + r + " dims that do not merge; kernels take at most " + MAX_RANK);
        }
        int[][] out = new int[st.length][];
        for (int k = 0; k < st.length; k++) out[k] = Arrays.copyOf(st[k], r);
        return new Layout(Arrays.copyOf(s, r), out);
    }

    /** Can dim d (size size) join the kept dim `last`: every operand steps over `last` as size·stride[d]? */
    private static boolean mergeable(int size, int d, int last, int[][] operandStrides, int[][] kept) {
        for (int k = 0; k < kept.length; k++) {
            if ((long) kept[k][last] != (long) operandStrides[k][d] * size) return false;
        }
        return true;
    }

    private static int[][] zeroStrides(int operands, int rank) {
        return new int[operands][rank];
    }

    int rank() {
        return shape.length;
    }

    int[] shape() {
        return shape.clone();
    }

    int[] strides(int operand) {
        return strides[operand].clone();
    }

    /** The 33 ints of the C struct: rank, shape[8], stride[3][8] (unused entries 0). */
    int[] packed() {
        int[] p = new int[1 + MAX_RANK + OPERANDS * MAX_RANK];
        p[0] = shape.length;
        System.arraycopy(shape, 0, p, 1, shape.length);
        for (int k = 0; k < strides.length; k++) System.arraycopy(strides[k], 0, p, 1 + MAX_RANK + k * MAX_RANK, shape.length);
        return p;
    }

    /** The offset of element i in operand k, as the kernel computes it (for tests). */
    long offset(long i, int k) {
        long off = 0;
        for (int d = shape.length - 1; d >= 0; d--) {
            off += (i % shape[d]) * strides[k][d];
            i /= shape[d];
        }
        return off;
    }
}
