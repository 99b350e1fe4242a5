package dev.lethe.cuda;

/** How a reduction over some dims of a row-major shape reads as [outer, r, inner]. */
final class ReduceShape {
    private ReduceShape() {}

    /**
     * {outer, r, inner} for reducing the sorted {@code dims} of {@code shape}: the product of
     * the sizes before the first reduced dim, of the reduced dims, and of those after the last.
     * A contiguous tensor is that array as it lies when the dims are adjacent.
     */
    static int[] of(int[] shape, int[] dims) {
        boolean[] red = new boolean[shape.length];
        for (int d : dims) red[d] = true;
        int first = dims.length == 0 ? shape.length : dims[0], last = dims.length == 0 ? shape.length - 1 : dims[dims.length - 1];
        long outer = 1, r = 1, inner = 1;
        for (int d = 0; d < shape.length; d++) {
            if (red[d]) r *= shape[d];
            else if (d < first) outer *= shape[d];
            else if (d > last) inner *= shape[d];
            else outer *= shape[d]; // a kept dim between reduced ones: only meaningful after reducedLast
        }
        return new int[] {(int) outer, (int) r, (int) inner};
    }

    /** True if the sorted dims form one run. */
    static boolean adjacent(int[] dims) {
        return dims.length == 0 || dims[dims.length - 1] - dims[0] == dims.length - 1;
    }

    /** The permutation that puts the kept dims first (in order) and the reduced dims last. */
    static int[] reducedLast(int rank, int[] dims) {
        boolean[] red = new boolean[rank];
        for (int d : dims) red[d] = true;
        int[] order = new int[rank];
        int k = 0;
        for (int d = 0; d < rank; d++) if (!red[d]) order[k++] = d;
        for (int d : dims) order[k++] = d;
        return order;
    }
}
