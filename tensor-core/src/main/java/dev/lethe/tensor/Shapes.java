package dev.lethe.tensor;

import java.util.Arrays;

/** Shape arithmetic shared by tensors, ops and kernels: sizes, strides, broadcasting, dims. */
public final class Shapes {
    private Shapes() {}

    /** Product of the sizes; 1 for a scalar ({@code []}). */
    public static int numel(int[] shape) {
        long n = 1;
        for (int s : shape) n *= s;
        if (n > Integer.MAX_VALUE) throw new IllegalArgumentException("shape " + str(shape) + " has more than 2^31-1 elements");
        return (int) n;
    }

    /** Row-major strides: the last dimension moves fastest. */
    public static int[] contiguousStrides(int[] shape) {
        int[] st = new int[shape.length];
        int s = 1;
        for (int d = shape.length - 1; d >= 0; d--) {
            st[d] = s;
            s *= Math.max(shape[d], 1);
        }
        return st;
    }

    /** True when {@code strides} lay {@code shape} out row-major with no gaps (size-1 dims ignored). */
    public static boolean isContiguous(int[] shape, int[] strides) {
        int expected = 1;
        for (int d = shape.length - 1; d >= 0; d--) {
            if (shape[d] == 1) continue;
            if (strides[d] != expected) return false;
            expected *= shape[d];
        }
        return true;
    }

    /** {@code [2, 3]} style text. */
    public static String str(int[] shape) {
        return Arrays.toString(shape);
    }

    /** Checks that every size is non-negative; {@code what} names the caller in the message. */
    public static int[] validate(String what, int[] shape) {
        for (int s : shape) {
            if (s < 0) throw new IllegalArgumentException(what + ": negative size in shape " + str(shape));
        }
        return shape.clone();
    }

    /**
     * NumPy broadcasting: align shapes on the right; sizes must be equal or one of them 1.
     *
     * @throws IllegalArgumentException naming both shapes when they do not broadcast
     */
    public static int[] broadcast(String op, int[] a, int[] b) {
        int n = Math.max(a.length, b.length);
        int[] out = new int[n];
        for (int i = 0; i < n; i++) {
            int da = i - (n - a.length), db = i - (n - b.length);
            int sa = da >= 0 ? a[da] : 1, sb = db >= 0 ? b[db] : 1;
            if (sa != sb && sa != 1 && sb != 1) {
                throw new IllegalArgumentException(op + ": shapes " + str(a) + " and " + str(b)
                        + " do not broadcast (dimension " + i + ": " + sa + " vs " + sb + ")");
            }
            out[i] = sa == 1 ? sb : sa;
        }
        return out;
    }

    /**
     * Strides that read a tensor of {@code shape}/{@code strides} as if it had {@code target}
     * shape: missing leading dims and size-1 dims that broadcast get stride 0.
     */
    public static int[] broadcastStrides(int[] shape, int[] strides, int[] target) {
        int[] out = new int[target.length];
        int shift = target.length - shape.length;
        for (int i = 0; i < target.length; i++) {
            int d = i - shift;
            out[i] = d < 0 || (shape[d] == 1 && target[i] != 1) ? 0 : strides[d];
        }
        return out;
    }

    /** Resolves a possibly negative dim against {@code rank}, naming {@code op} and the shape on error. */
    public static int dim(String op, int dim, int[] shape) {
        int r = shape.length;
        int d = dim < 0 ? dim + r : dim;
        if (d < 0 || d >= Math.max(r, 1) || (r == 0 && d != 0)) {
            throw new IllegalArgumentException(op + ": dim " + dim + " is out of range for shape " + str(shape)
                    + " (expected " + (-Math.max(r, 1)) + " ≤ dim < " + Math.max(r, 1) + ")");
        }
        return d;
    }

    /** Resolves a list of dims (empty = all dims), sorted, rejecting repeats. */
    public static int[] dims(String op, int[] dims, int[] shape) {
        if (dims.length == 0) {
            int[] all = new int[shape.length];
            for (int i = 0; i < all.length; i++) all[i] = i;
            return all;
        }
        int[] out = new int[dims.length];
        for (int i = 0; i < dims.length; i++) out[i] = dim(op, dims[i], shape);
        Arrays.sort(out);
        for (int i = 1; i < out.length; i++) {
            if (out[i] == out[i - 1]) throw new IllegalArgumentException(op + ": dim " + out[i] + " repeated in " + Arrays.toString(dims));
        }
        if (shape.length == 0) return new int[0];
        return out;
    }

    /** The shape after reducing {@code dims} (sorted, resolved): removed, or kept as 1. */
    public static int[] reduced(int[] shape, int[] dims, boolean keepDim) {
        boolean[] red = mask(shape.length, dims);
        int[] out = new int[keepDim ? shape.length : shape.length - dims.length];
        int j = 0;
        for (int d = 0; d < shape.length; d++) {
            if (!red[d]) out[j++] = shape[d];
            else if (keepDim) out[j++] = 1;
        }
        return out;
    }

    /** {@code mask[d]} is true for every d in {@code dims}. */
    public static boolean[] mask(int rank, int[] dims) {
        boolean[] m = new boolean[rank];
        for (int d : dims) m[d] = true;
        return m;
    }

    /** Resolves one {@code -1} in a requested shape against {@code numel}, naming both on error. */
    public static int[] inferReshape(String op, int[] from, int[] requested) {
        int n = numel(from);
        int[] out = requested.clone();
        int infer = -1;
        long known = 1;
        for (int i = 0; i < out.length; i++) {
            if (out[i] == -1) {
                if (infer >= 0) throw new IllegalArgumentException(op + ": only one -1 allowed in " + str(requested));
                infer = i;
            } else if (out[i] < 0) {
                throw new IllegalArgumentException(op + ": negative size in " + str(requested));
            } else {
                known *= out[i];
            }
        }
        if (infer >= 0) {
            if (known == 0 || n % known != 0) {
                throw new IllegalArgumentException(op + ": cannot reshape " + str(from) + " (" + n + " elements) to " + str(requested));
            }
            out[infer] = (int) (n / known);
        }
        if (numel(out) != n) {
            throw new IllegalArgumentException(op + ": cannot reshape " + str(from) + " (" + n + " elements) to "
                    + str(requested) + " (" + numel(out) + " elements)");
        }
        return out;
    }

    /**
     * How many positions a window of {@code k} takes along a dimension of {@code size} padded
     * by {@code pad} on both sides, moving by {@code stride}: ⌊(size + 2·pad − k) / stride⌋ + 1.
     */
    public static int windows(int size, int k, int stride, int pad) {
        return (size + 2 * pad - k) / stride + 1;
    }
}
