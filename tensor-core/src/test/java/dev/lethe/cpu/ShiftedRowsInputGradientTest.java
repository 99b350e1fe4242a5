package dev.lethe.cpu;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * {@link ShiftedRowsInputGradient} against ∂cols = Wᵀ·∂y by the GEMM and their fold ({@link
 * ConvKernel#backwardInputImage} with W packed): the same bits on odd sizes, kernels of one
 * to seven taps a row (one tile of taps, part of one, several), padding 0 to wider than the
 * kernel's reach, output rows that fill no tile, part of one or several, and ±0, ±∞ in ∂y and
 * W (NaN counted as one: which NaN's payload a fused multiply-add passes on is not fixed).
 * The layout's lanes past each output row hold NaN, which must not reach ∂x. At widths below
 * 512 bits the path is off.
 */
@Tag("kernels")
class ShiftedRowsInputGradientTest {

    @Test
    void shiftedRowsAndTheFoldedGemmGiveTheSameBits() {
        if (!ShiftedRowsInputGradient.applies(new ConvKernel.Shape(1, 16, 14, 14, 32, 3, 3, 1, 1, 1, 1))) {
            assertFalse(Simd.ENABLED && Simd.F.length() >= 16, "512-bit vectors take this path");
            return;
        }
        int cases = 0;
        long seed = 1;
        for (int[] k : new int[][] {{1, 1}, {3, 3}, {2, 3}, {3, 5}, {5, 5}, {1, 7}})
            for (int c : new int[] {1, 2, 16})
                for (int h : new int[] {1, 3, 8, 14})
                    for (int w : new int[] {1, 5, 12, 14, 16})
                        for (int p = 0; p <= 2; p++)
                            for (int o : new int[] {1, 4, 32}) {
                                ConvKernel.Shape s = new ConvKernel.Shape(2, c, h, w, o, k[0], k[1], 1, 1, p, p);
                                if (k[0] > h + 2 * p || k[1] > w + 2 * p || !ShiftedRowsInputGradient.applies(s)) continue;
                                same(s, seed++);
                                cases++;
                            }
        assertEquals(2025, cases, "shapes checked");
        same(new ConvKernel.Shape(1, 16, 14, 14, 32, 3, 3, 1, 1, 1, 1), 0);
        same(new ConvKernel.Shape(1, 3, 5, 4, 6, 3, 3, 1, 1, 5, 5), 1); // padding beyond the kernel's reach: 14 lanes
    }

    @Test
    void itTakesStrideOneRowsThatFitAVectorOnly() {
        boolean wide = Simd.ENABLED && Simd.F.length() >= 16;
        assertEquals(wide, ShiftedRowsInputGradient.applies(new ConvKernel.Shape(1, 16, 14, 14, 32, 3, 3, 1, 1, 1, 1)));
        assertFalse(ShiftedRowsInputGradient.applies(new ConvKernel.Shape(1, 16, 15, 15, 32, 3, 3, 1, 1, 1, 1)));
        assertFalse(ShiftedRowsInputGradient.applies(new ConvKernel.Shape(1, 16, 14, 14, 32, 3, 3, 2, 2, 1, 1)));
        assertFalse(ShiftedRowsInputGradient.applies(new ConvKernel.Shape(1, 1, 14, 14, Gemm.KC + 1, 3, 3, 1, 1, 1, 1)));
    }

    private static void same(ConvKernel.Shape s, long seed) {
        Random rnd = new Random(seed);
        int oh = s.oh(), ow = s.ow(), pix = s.pixels(), L = Simd.F.length(), image = s.c() * s.h() * s.w();
        float[] g = values(rnd, s.o() * pix), w = values(rnd, s.o() * s.rows());
        float[] expected = new float[image];
        ConvKernel.backwardInputImage(s, g, 0, false, ConvKernel.InputGradientPlan.columns(s, w, 0), expected, 0);
        float[] dy = new float[ShiftedRowsInputGradient.gradientLength(s)];
        java.util.Arrays.fill(dy, Float.NaN);
        for (int q = 0; q < s.o(); q++) {
            for (int p = 0; p < pix; p++) dy[ShiftedRowsInputGradient.gradientIndex(s, q, p)] = g[q * pix + p];
        }
        float[] actual = new float[image + 3];
        ShiftedRowsInputGradient.image(s, ShiftedRowsInputGradient.pack(s, w, 0), dy, actual, 3);
        for (int i = 0; i < image; i++) {
            if (Float.floatToIntBits(actual[3 + i]) != Float.floatToIntBits(expected[i])) {
                fail(s + ": ∂x element " + i + " is " + actual[3 + i] + " by shifted rows, " + expected[i] + " by the GEMM and fold");
            }
        }
        assertEquals(0f, actual[0] + actual[1] + actual[2], "nothing written before dxOff");
        // Through ConvKernel, from ∂y_n as [O, oh·ow] and channels-last.
        float[] lastG = new float[g.length];
        for (int q = 0; q < s.o(); q++) for (int p = 0; p < pix; p++) lastG[p * s.o() + q] = g[q * pix + p];
        for (boolean channelsLast : new boolean[] {false, true}) {
            float[] viaPlan = new float[2 * image];
            ConvKernel.backwardInputImage(s, channelsLast ? lastG : g, 0, channelsLast, ConvKernel.planInputGradient(s, w, 0), viaPlan, 1);
            for (int i = 0; i < image; i++) {
                if (Float.floatToIntBits(viaPlan[image + i]) != Float.floatToIntBits(expected[i])) {
                    fail(s + (channelsLast ? ", channels-last" : "") + ": ∂x element " + i + " is " + viaPlan[image + i]
                            + " through the plan, " + expected[i] + " by the GEMM and fold");
                }
            }
        }
        assertEquals(oh * L, dy.length / s.o(), "one vector per output row");
        assertEquals(ow, s.w() + 2 * s.pw() - s.kw() + 1);
    }

    /** Gaussian values with a few ±0 and ±∞. */
    private static float[] values(Random rnd, int n) {
        float[] special = {0f, -0f, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY};
        float[] v = new float[n];
        for (int i = 0; i < n; i++) v[i] = rnd.nextInt(40) == 0 ? special[rnd.nextInt(4)] : (float) rnd.nextGaussian();
        return v;
    }
}
