package dev.lethe.data;

import java.util.Arrays;

/**
 * The contents of an unsigned-byte IDX file: its dimension sizes and the elements in
 * row-major order. {@code dims[0]} counts the items (images or labels); the rest give the
 * shape of one item ({@code [rows, cols]} for images, none for labels). {@code data} is
 * held as given, not copied: the arrays are large and the record is only a carrier.
 */
public record Idx(int[] dims, byte[] data) {
    public Idx {
        dims = dims.clone();
        long n = 1;
        for (int d : dims) {
            if (d < 0) throw new IllegalArgumentException("idx: negative size in dims " + Arrays.toString(dims));
            n *= d;
            if (n > Integer.MAX_VALUE) throw new IllegalArgumentException("idx: dims " + Arrays.toString(dims) + " exceed 2^31-1 elements");
        }
        if (data.length != n) {
            throw new IllegalArgumentException("idx: " + data.length + " bytes do not fill dims " + Arrays.toString(dims) + " (" + n + " elements)");
        }
    }

    @Override
    public int[] dims() {
        return dims.clone();
    }

    /** How many items (images or labels): the first dimension. */
    public int count() {
        return dims[0];
    }

    /** Elements per item: the product of the dimensions after the first. */
    public int itemSize() {
        int s = 1;
        for (int d = 1; d < dims.length; d++) s *= dims[d];
        return s;
    }

    /** Element {@code i} as an unsigned value 0..255. */
    public int unsigned(int i) {
        return data[i] & 0xFF;
    }

    /**
     * The items at {@code indices}, in that order, as a new IDX of the same item shape.
     *
     * @throws IndexOutOfBoundsException naming an index outside [0, count)
     */
    public Idx select(int[] indices) {
        int item = itemSize();
        byte[] out = new byte[Math.multiplyExact(indices.length, item)];
        for (int r = 0; r < indices.length; r++) {
            int i = indices[r];
            if (i < 0 || i >= count()) throw new IndexOutOfBoundsException("idx select: index " + i + " is outside [0, " + count() + ")");
            System.arraycopy(data, i * item, out, r * item, item);
        }
        int[] d = dims.clone();
        d[0] = indices.length;
        return new Idx(d, out);
    }
}
