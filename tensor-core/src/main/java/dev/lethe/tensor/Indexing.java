package dev.lethe.tensor;

/** Converting between row-major linear indices and strided storage offsets. */
public final class Indexing {
    private Indexing() {}

    /** The storage offset of row-major element {@code linear} of {@code shape} laid out by {@code strides}. */
    public static int offsetOf(int linear, int[] shape, int[] strides, int base) {
        int off = base;
        for (int d = shape.length - 1; d >= 0; d--) {
            int s = shape[d];
            if (s == 0) return base;
            off += (linear % s) * strides[d];
            linear /= s;
        }
        return off;
    }

    /** The coordinates of row-major element {@code linear} of {@code shape}. */
    public static int[] coordinates(int linear, int[] shape) {
        int[] idx = new int[shape.length];
        for (int d = shape.length - 1; d >= 0; d--) {
            idx[d] = linear % shape[d];
            linear /= shape[d];
        }
        return idx;
    }
}
