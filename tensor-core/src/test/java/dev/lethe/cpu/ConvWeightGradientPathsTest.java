package dev.lethe.cpu;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.*;

/**
 * {@link ConvKernel#backwardWeight}'s two ways of taking each image's product — with columns
 * (B transposed) and with {@link Im2Row}'s patches (B row-major, columns permuted) — give the
 * same bits. Values are random, not small integers, so a term summed in another order, a
 * misplaced patch entry or a padding entry that is not 0 changes the result.
 */
@Tag("kernels")
class ConvWeightGradientPathsTest {
    private static final int[] HW = {1, 3, 7, 15};
    private static final int[][] KERNELS = {{3, 3}, {1, 1}, {2, 3}, {3, 2}};

    @Test
    void patchesAndColumnsGiveTheSameBitsOnOddShapes() {
        int cases = 0;
        long seed = 1;
        for (int n : new int[] {1, 9})
            for (int c : new int[] {1, 3, 16, 17})
                for (int h : HW)
                    for (int w : HW)
                        for (int[] k : KERNELS)
                            for (int s = 1; s <= 2; s++)
                                for (int p = 0; p <= 1; p++) {
                                    if (k[0] > h + 2 * p || k[1] > w + 2 * p) continue;
                                    same(new ConvKernel.Shape(n, c, h, w, 5, k[0], k[1], s, s, p, p), seed++);
                                    cases++;
                                }
        assertTrue(cases > 1500, "only " + cases + " shapes were checked");
    }

    @Test
    void mixedStridesPaddingsAndTheCnnLayers() {
        same(new ConvKernel.Shape(3, 16, 17, 7, 3, 3, 2, 2, 1, 0, 1), 1);
        same(new ConvKernel.Shape(2, 4, 7, 17, 2, 2, 3, 1, 2, 1, 0), 2);
        // More rows than one k-block of the GEMM (16·5·5 = 400 > 256).
        same(new ConvKernel.Shape(2, 16, 9, 9, 3, 5, 5, 1, 1, 2, 2), 3);
        same(new ConvKernel.Shape(21, 16, 14, 14, 32, 3, 3, 1, 1, 1, 1), 4);
        same(new ConvKernel.Shape(21, 1, 28, 28, 16, 3, 3, 1, 1, 1, 1), 5);
    }

    @Test
    void aNewGeometryLaysOutItsOwnPadding() {
        // The same thread's patches buffer serves a padded geometry, then an unpadded one of the
        // same size, then the padded one again: stale entries from another layout would show.
        ConvKernel.Shape padded = new ConvKernel.Shape(2, 16, 8, 8, 4, 3, 3, 1, 1, 1, 1);
        ConvKernel.Shape unpadded = new ConvKernel.Shape(2, 16, 10, 10, 4, 3, 3, 1, 1, 0, 0);
        int before = Parallel.threads();
        try {
            Parallel.setThreads(1);
            same(padded, 6);
            same(unpadded, 7);
            same(padded, 8);
        } finally {
            Parallel.setThreads(before);
        }
    }

    @Test
    void theChoiceFollowsTheWindowRowLength() {
        assertTrue(ConvKernel.byPatches(new ConvKernel.Shape(1, 16, 14, 14, 32, 3, 3, 1, 1, 1, 1)) || Simd.lanes() > 48);
        assertEquals(3 >= Simd.lanes(), ConvKernel.byPatches(new ConvKernel.Shape(1, 1, 28, 28, 16, 3, 3, 1, 1, 1, 1)));
    }

    private static void same(ConvKernel.Shape s, long seed) {
        Random rnd = new Random(seed);
        float[] x = gaussian(rnd, s.n() * s.c() * s.h() * s.w()), g = gaussian(rnd, s.n() * s.o() * s.pixels());
        float[] byColumns = new float[s.o() * s.rows()], byPatches = new float[byColumns.length];
        ConvKernel.backwardWeight(s, g, 0, x, 0, byColumns, false);
        ConvKernel.backwardWeight(s, g, 0, x, 0, byPatches, true);
        assertArrayEquals(byColumns, byPatches, s.toString());
    }

    private static float[] gaussian(Random rnd, int n) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) v[i] = (float) rnd.nextGaussian();
        return v;
    }
}
