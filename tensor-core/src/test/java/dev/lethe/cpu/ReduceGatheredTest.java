package dev.lethe.cpu;

import dev.lethe.backend.Backends;
import dev.lethe.backend.ReduceOp;
import dev.lethe.tensor.Tensor;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Reductions over dims that are not one adjacent run (a bias gradient's sum over {0, 2, 3})
 * gather each output's values into a per-thread buffer ({@link ReduceKernels#reduceGathered})
 * instead of copying x: the bits must be those of reducing the copy, which is checked here by
 * reducing an explicit contiguous copy of x with the reduced dims moved last, on random floats
 * (where the order of a sum decides its bits), NaN for max and min, views that are not
 * contiguous, and 1 or 3 threads.
 */
@Tag("kernels")
class ReduceGatheredTest {

    @Test
    void sameBitsAsReducingTheMovedCopy() {
        Random rnd = new Random(4);
        int[][] shapes = {{5, 3, 7, 9}, {2, 16, 14, 14}, {3, 1, 17, 33}, {7, 5, 3}, {1, 4, 1, 6}};
        int[][][] dimSets = {{{0, 2, 3}, {0, 2}, {1, 3}, {0, 3}}, {{0, 2, 3}, {0, 3}}, {{0, 2, 3}, {0, 2}}, {{0, 2}, {2, 0}}, {{0, 2, 3}, {1, 3}}};
        for (int s = 0; s < shapes.length; s++)
            for (int[] dims : dimSets[s])
                for (ReduceOp op : ReduceOp.values()) {
                    Tensor x = random(rnd, shapes[s]);
                    check(op, x, dims);
                }
    }

    @Test
    void viewsThatAreNotContiguous() {
        Random rnd = new Random(5);
        Tensor x = random(rnd, 6, 5, 7, 9).transpose(1, 3);
        for (ReduceOp op : ReduceOp.values()) {
            check(op, x, new int[] {0, 2, 3});
            check(op, x, new int[] {1, 3});
        }
    }

    @Test
    void sameBitsOnAnyThreadCount() {
        Tensor x = random(new Random(6), 128, 16, 28, 28);
        int before = Parallel.threads();
        try {
            Parallel.setThreads(1);
            float[] one = Backends.cpu().reduce(ReduceOp.SUM, x, new int[] {0, 2, 3}, false).toFloatArray();
            Parallel.setThreads(3);
            assertArrayEquals(one, Backends.cpu().reduce(ReduceOp.SUM, x, new int[] {0, 2, 3}, false).toFloatArray());
        } finally {
            Parallel.setThreads(before);
        }
    }

    private static void check(ReduceOp op, Tensor x, int[] dims) {
        String what = op + " over " + java.util.Arrays.toString(dims) + " of " + java.util.Arrays.toString(x.shape());
        int n = x.dim();
        int[] sorted = dims.clone();
        java.util.Arrays.sort(sorted);
        int[] order = new int[n];
        int k = 0, outer = 1, r = 1;
        for (int d = 0; d < n; d++) {
            if (java.util.Arrays.binarySearch(sorted, d) < 0) {
                order[k++] = d;
                outer *= x.shape()[d];
            }
        }
        // The reduced dims go last in the order given, as the backend moves them.
        for (int d : dims) {
            order[k++] = d;
            r *= x.shape()[d];
        }
        float[] moved = x.permute(order).contiguous().toFloatArray();
        float[] want = new float[outer];
        ReduceKernels.reduce(op, moved, 0, outer, r, 1, want);
        float[] got = Backends.cpu().reduce(op, x, dims, false).toFloatArray();
        assertEquals(want.length, got.length, what);
        for (int i = 0; i < want.length; i++) {
            assertEquals(Float.floatToRawIntBits(want[i]), Float.floatToRawIntBits(got[i]), what + ", output " + i);
        }
    }

    /** Gaussian floats with a NaN in about one of 500. */
    private static Tensor random(Random rnd, int... shape) {
        int n = java.util.Arrays.stream(shape).reduce(1, (a, b) -> a * b);
        float[] v = new float[n];
        for (int i = 0; i < n; i++) v[i] = rnd.nextInt(500) == 0 ? Float.NaN : (float) rnd.nextGaussian();
        return Tensor.fromArray(v, shape);
    }
}
