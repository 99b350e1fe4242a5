package dev.lethe.cpu;

import dev.lethe.tensor.Shapes;

/**
 * Runs an elementwise kernel over up to three strided operands (output first) as a sequence
 * of 1-D rows, the way PyTorch's TensorIterator does: size-1 dims are dropped and adjacent
 * dims merged wherever every operand is contiguous across them, so a contiguous tensor of any
 * rank becomes one long row the kernel can vectorise.
 *
 * <p>Large loops run in parallel over fixed chunks (rows, or pieces of a single row whose
 * length is a multiple of 64 elements), chosen from the shape alone — never from the thread
 * count — so every element is computed by the same code path whatever the threads.
 */
public final class StridedLoop {
    /** Below this many elements a loop runs on the calling thread. */
    static final int SERIAL_LIMIT = 1 << 17;
    /** Elements per parallel chunk (a multiple of every vector length). */
    static final int GRAIN = 1 << 14;

    /** One row: n elements, operand k starting at off[k] and stepping by step[k]. */
    @FunctionalInterface
    public interface Row {
        void run(int n, int o, int os, int a, int as, int b, int bs);
    }

    private StridedLoop() {}

    /**
     * Visits every element of {@code shape} for operands with the given strides and base
     * offsets (unused operands: pass the output's strides and offset).
     */
    public static void run(int[] shape, int[] oStrides, int oOff, int[] aStrides, int aOff, int[] bStrides, int bOff, Row row) {
        int total = Shapes.numel(shape);
        if (total == 0) return;
        int[][] st = {oStrides.clone(), aStrides.clone(), bStrides.clone()};
        int[] sz = new int[shape.length];
        int r = 0;
        // Drop size-1 dims, then merge dim d into the one before when all operands allow.
        for (int d = 0; d < shape.length; d++) {
            if (shape[d] == 1) continue;
            if (r > 0 && st[0][r - 1] == st[0][d] * shape[d] && st[1][r - 1] == st[1][d] * shape[d]
                    && st[2][r - 1] == st[2][d] * shape[d]) {
                sz[r - 1] *= shape[d];
                for (int k = 0; k < 3; k++) st[k][r - 1] = st[k][d];
                continue;
            }
            sz[r] = shape[d];
            for (int k = 0; k < 3; k++) st[k][r] = st[k][d];
            r++;
        }
        if (r == 0) {
            row.run(1, oOff, 1, aOff, 1, bOff, 1);
            return;
        }
        final int rank = r;
        final int inner = sz[rank - 1];
        final int outer = total / inner;
        final int os = st[0][rank - 1], as = st[1][rank - 1], bs = st[2][rank - 1];
        if (outer == 1) {
            if (total < SERIAL_LIMIT) {
                row.run(inner, oOff, os, aOff, as, bOff, bs);
                return;
            }
            Parallel.forChunks(inner, GRAIN, (s, e) -> row.run(e - s, oOff + s * os, os, aOff + s * as, as, bOff + s * bs, bs));
            return;
        }
        int grain = total < SERIAL_LIMIT ? outer : Math.max(1, GRAIN / inner);
        Parallel.forChunks(outer, grain, (s, e) -> {
            for (int q = s; q < e; q++) {
                int o = oOff, a = aOff, b = bOff, rem = q;
                for (int d = rank - 2; d >= 0; d--) {
                    int i = rem % sz[d];
                    rem /= sz[d];
                    o += i * st[0][d];
                    a += i * st[1][d];
                    b += i * st[2][d];
                }
                row.run(inner, o, os, a, as, b, bs);
            }
        });
    }
}
