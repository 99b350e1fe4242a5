package dev.lethe.cpu;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.*;

/**
 * {@link MaxPoolKernel#forward} against a plain transcription of its rule (scan each window
 * row by row, a later element replaces the maximum only when strictly greater or a NaN
 * replacing a number), bit for bit and index for index, on inputs full of ties and NaNs, odd
 * plane sizes, an offset into x, on 1 and 3 threads. The 2×2 stride-2 path writes whole
 * vectors past a row's end, so the outputs' surroundings are checked too. Runs at every
 * forced vector width.
 */
@Tag("kernels")
class MaxPoolKernelTest {

    @Test
    void twoByTwoMatchesTheRuleOnTiesAndNaNs() {
        Random rnd = new Random(7);
        int cases = 0;
        for (int planes : new int[] {1, 2, 3, 5})
            for (int h : new int[] {2, 3, 4, 5, 7, 14})
                for (int w : new int[] {2, 3, 4, 5, 7, 14, 15, 17, 28, 33, 40}) {
                    check(rnd, planes, h, w, 2, 2, rnd.nextInt(4), rnd.nextInt(3));
                    cases++;
                }
        assertTrue(cases > 200);
    }

    @Test
    void generalWindowsMatchTheRule() {
        Random rnd = new Random(11);
        for (int planes : new int[] {1, 3})
            for (int h : new int[] {3, 5, 8})
                for (int w : new int[] {3, 7, 17})
                    for (int k = 1; k <= 3; k++)
                        for (int s = 1; s <= 3; s++) check(rnd, planes, h, w, k, s, rnd.nextInt(4), rnd.nextInt(3));
    }

    @Test
    void theCnnShapes() {
        Random rnd = new Random(3);
        check(rnd, 16 * 9, 28, 28, 2, 2, 0, 0);
        check(rnd, 32 * 9, 14, 14, 2, 2, 0, 0);
    }

    private static void check(Random rnd, int planes, int h, int w, int k, int s, int off, int extra) {
        float[] x = new float[off + planes * h * w + extra];
        for (int i = 0; i < x.length; i++) x[i] = rnd.nextInt(20) == 0 ? Float.NaN : rnd.nextInt(5) - 2;
        int oh = (h - k) / s + 1, ow = (w - k) / s + 1, n = planes * oh * ow;
        float[] wantV = new float[n];
        int[] wantI = new int[n];
        for (int p = 0; p < planes; p++)
            for (int y = 0; y < oh; y++)
                for (int z = 0; z < ow; z++) {
                    int best = p * h * w + y * s * w + z * s;
                    for (int i = 0; i < k; i++)
                        for (int j = 0; j < k; j++) {
                            int r = p * h * w + (y * s + i) * w + z * s + j;
                            float v = x[off + r], m = x[off + best];
                            if (v > m || (Float.isNaN(v) && !Float.isNaN(m))) best = r;
                        }
                    int o = (p * oh + y) * ow + z;
                    wantV[o] = x[off + best];
                    wantI[o] = best;
                }
        int before = Parallel.threads();
        try {
            for (int threads : new int[] {1, 3}) {
                Parallel.setThreads(threads);
                String what = planes + "×" + h + "×" + w + " k " + k + " s " + s + " off " + off + " on " + threads + " threads";
                float[] out = new float[n + 20];
                int[] arg = new int[n + 20];
                Arrays.fill(out, 99f);
                Arrays.fill(arg, -99);
                MaxPoolKernel.forward(x, off, planes, h, w, k, s, out, arg);
                for (int o = 0; o < n; o++) {
                    assertEquals(Float.floatToRawIntBits(wantV[o]), Float.floatToRawIntBits(out[o]), what + " value " + o);
                    assertEquals(wantI[o], arg[o], what + " index " + o);
                }
                for (int o = n; o < n + 20; o++) {
                    assertEquals(99f, out[o], what + ": wrote past the outputs");
                    assertEquals(-99, arg[o], what + ": wrote past the indices");
                }
            }
        } finally {
            Parallel.setThreads(before);
        }
    }
}
