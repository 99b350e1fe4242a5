package dev.lethe.data;

import dev.lethe.tensor.Tensor;

/**
 * Gathers rows (items along dimension 0) into a fresh contiguous tensor for {@link DataLoader}
 * and {@link Dataset#subset}: checks the indices with the data layer's message, then lets the
 * backend's index-select copy each row in one piece.
 */
final class Rows {
    private Rows() {}

    /**
     * {@code out[r] = src[index[r]]} for every position r of {@code index}.
     *
     * @throws IndexOutOfBoundsException naming the index and the row count when an index is out of range
     */
    static Tensor gather(Tensor src, int[] index) {
        int rows = src.size(0);
        for (int r = 0; r < index.length; r++) {
            int i = index[r];
            if (i < 0 || i >= rows) {
                throw new IndexOutOfBoundsException("gather rows: index " + i + " at position " + r + " is outside [0, " + rows + ")");
            }
        }
        return src.backend().indexSelect(src, 0, index);
    }
}
