package dev.lethe.cpu;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * {@link ConvKernel#forwardImage}'s two ways for a one-channel image, 3×3 kernel, stride 1 —
 * {@link ShiftedRowsConv} and columns with a GEMM — give the same bits, with and without bias,
 * on odd sizes, with padding wider than the kernel's reach, output rows shorter and
 * longer than a vector, more output channels than a micro-tile's rows, and ±0, ±∞ among the
 * values (NaN counted as one: which NaN's payload a fused multiply-add passes on is not fixed).
 * Under {@code -Dlethe.simd=scalar} only the GEMM runs.
 */
@Tag("kernels")
class ConvForwardPathsTest {

    @Test
    void shiftedRowsAndColumnsGiveTheSameBits() {
        if (!Simd.ENABLED) {
            assertTrue(!ShiftedRowsConv.applies(new ConvKernel.Shape(1, 1, 28, 28, 16, 3, 3, 1, 1, 1, 1)));
            return;
        }
        int cases = 0;
        long seed = 1;
        for (int h : new int[] {1, 2, 3, 7, 17, 28})
            for (int w : new int[] {1, 2, 7, 15, 16, 17, 33})
                for (int p = 0; p <= 3; p++)
                    for (int o : new int[] {1, 16, 17}) {
                        if (3 > h + 2 * p || 3 > w + 2 * p) continue;
                        same(new ConvKernel.Shape(2, 1, h, w, o, 3, 3, 1, 1, p, p), seed++);
                        cases++;
                    }
        assertEquals(438, cases, "shapes checked");
        same(new ConvKernel.Shape(3, 1, 28, 28, 16, 3, 3, 1, 1, 1, 1), 0);
    }

    /**
     * {@link ShiftedRowsForward} (several input channels, any kernel at stride 1, 512-bit only)
     * against columns and a GEMM: odd sizes, padding 0 to wider than the kernel's reach, output
     * channels that fill no tile, part of one or several, output vectors that fill no tile,
     * and more taps than one k-block ({@link Gemm#KC}).
     */
    @Test
    void shiftedRowTilesAndColumnsGiveTheSameBits() {
        if (!ShiftedRowsForward.applies(new ConvKernel.Shape(1, 16, 14, 14, 32, 3, 3, 1, 1, 1, 1))) {
            assertTrue(!Simd.ENABLED || Simd.F.length() < 16, "512-bit vectors take the tiles");
            return;
        }
        int cases = 0;
        long seed = 100;
        for (int[] k : new int[][] {{1, 1}, {3, 3}, {2, 3}, {5, 5}})
            for (int c : new int[] {2, 3, 16})
                for (int h : new int[] {1, 4, 7, 14})
                    for (int w : new int[] {1, 7, 16, 17, 33})
                        for (int p = 0; p <= 2; p++)
                            for (int o : new int[] {1, 4, 17}) {
                                if (k[0] > h + 2 * p || k[1] > w + 2 * p) continue;
                                same(new ConvKernel.Shape(2, c, h, w, o, k[0], k[1], 1, 1, p, p), seed++);
                                cases++;
                            }
        assertEquals(1836, cases, "shapes checked");
        same(new ConvKernel.Shape(3, 16, 14, 14, 32, 3, 3, 1, 1, 1, 1), 0);
        same(new ConvKernel.Shape(2, 30, 9, 11, 5, 3, 3, 1, 1, 1, 1), 1); // 270 taps: two k-blocks
        same(new ConvKernel.Shape(2, 7, 6, 5, 3, 3, 3, 1, 1, 4, 4), 2); // padding beyond the kernel's reach
    }

    @Test
    void itTakesOneChannelThreeByThreeAtStrideOneOnly() {
        assertEquals(Simd.ENABLED, ShiftedRowsConv.applies(new ConvKernel.Shape(1, 1, 28, 28, 16, 3, 3, 1, 1, 1, 1)));
        assertTrue(!ShiftedRowsConv.applies(new ConvKernel.Shape(1, 1, 28, 28, 16, 5, 5, 1, 1, 1, 1)));
        assertTrue(!ShiftedRowsConv.applies(new ConvKernel.Shape(1, 2, 28, 28, 16, 3, 3, 1, 1, 1, 1)));
        assertTrue(!ShiftedRowsConv.applies(new ConvKernel.Shape(1, 1, 28, 28, 16, 3, 3, 2, 2, 1, 1)));
    }

    private static void same(ConvKernel.Shape s, long seed) {
        Random rnd = new Random(seed);
        int image = s.c() * s.h() * s.w(), out = s.o() * s.pixels();
        float[] x = values(rnd, s.n() * image), w = values(rnd, s.o() * s.rows()), b = values(rnd, s.o());
        for (float[] bias : new float[][] {null, b}) {
            float[] shifted = new float[s.n() * out], columns = new float[s.n() * out];
            for (int n = 0; n < s.n(); n++) {
                ConvKernel.forwardImage(s, x, n * image, w, 0, ConvKernel.planForward(s, w, 0), bias, 0, shifted, n * out);
                ConvKernel.forwardImage(s, x, n * image, w, 0, ConvKernel.ForwardPlan.columns(s, w, 0), bias, 0, columns, n * out);
            }
            for (int i = 0; i < shifted.length; i++) {
                if (Float.floatToIntBits(shifted[i]) != Float.floatToIntBits(columns[i])) {
                    fail(s + (bias == null ? "" : " with bias") + ": element " + i + " is " + shifted[i]
                            + " by shifted rows, " + columns[i] + " by columns");
                }
            }
        }
    }

    /** Gaussian values with a few ±0 and ±∞. */
    private static float[] values(Random rnd, int n) {
        float[] special = {0f, -0f, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY};
        float[] v = new float[n];
        for (int i = 0; i < n; i++) v[i] = rnd.nextInt(40) == 0 ? special[rnd.nextInt(4)] : (float) rnd.nextGaussian();
        return v;
    }
}
