package dev.lethe.data;

import dev.lethe.tensor.DType;
import dev.lethe.tensor.Storage;
import dev.lethe.tensor.Tensor;

/**
 * Gathers rows (items along dimension 0) of a contiguous tensor into a fresh contiguous
 * tensor with one array copy per row: the batching path of {@link DataLoader} and
 * {@link Dataset#subset}, where a general strided gather would be needlessly slow.
 */
final class Rows {
    private Rows() {}

    /**
     * {@code out[r] = src[index[r]]} for every position r of {@code index}. {@code src} must be contiguous.
     *
     * @throws IndexOutOfBoundsException naming the index and the row count when an index is out of range
     */
    static Tensor gather(Tensor src, int[] index) {
        int count = index.length;
        int[] shape = src.shape();
        int rows = shape[0];
        int row = itemSize(shape);
        shape[0] = count;
        Storage out = Storage.allocate(src.dtype(), Math.multiplyExact(count, row));
        int base = src.offset();
        boolean floats = src.dtype() == DType.FLOAT32;
        Object source = floats ? src.storage().floats() : src.storage().doubles();
        Object to = floats ? out.floats() : out.doubles();
        for (int r = 0; r < count; r++) {
            int i = index[r];
            if (i < 0 || i >= rows) {
                throw new IndexOutOfBoundsException("gather rows: index " + i + " at position " + r + " is outside [0, " + rows + ")");
            }
            System.arraycopy(source, base + i * row, to, r * row, row);
        }
        return Tensor.wrap(out, shape);
    }

    private static int itemSize(int[] shape) {
        int s = 1;
        for (int d = 1; d < shape.length; d++) s *= shape[d];
        return s;
    }
}
