package dev.lethe.cuda;

import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The host half of radix select, with the histogram kernel emulated in Java: the order keys
 * sort as the floats do, and four bucket walks land on the k-th largest value with the right
 * number of ties taken.
 */
class CudaSelectLogicTest {
    @Test
    void orderKeysSortAsTheFloatsAndRoundTrip() {
        float[] xs = {Float.NEGATIVE_INFINITY, -3.5f, -1f, -Float.MIN_VALUE, 0f, Float.MIN_VALUE, 1e-30f, 2f, 7.25f, Float.MAX_VALUE, Float.POSITIVE_INFINITY};
        assertEquals(CudaSelect.floatToKey(0f), CudaSelect.floatToKey(-0f), "−0 and +0 are one key");
        for (int i = 0; i < xs.length; i++) {
            assertEquals(Float.floatToRawIntBits(xs[i]), Float.floatToRawIntBits(CudaSelect.keyToFloat(CudaSelect.floatToKey(xs[i]))));
            if (i > 0) assertTrue(Integer.compareUnsigned(CudaSelect.floatToKey(xs[i - 1]), CudaSelect.floatToKey(xs[i])) < 0, xs[i - 1] + " < " + xs[i]);
        }
    }

    /** kthLargest's passes, with radix_histogram_f32 done in Java. */
    private static float[] select(float[] x, int k, boolean abs) {
        int prefix = 0, mask = 0, rank = k;
        for (int shift = 24; shift >= 0; shift -= 8) {
            int[] hist = new int[256];
            for (float v : x) {
                int key = CudaSelect.floatToKey(abs ? Math.abs(v) : v);
                if ((key & mask) == prefix) hist[(key >>> shift) & 255]++;
            }
            int[] pick = CudaSelect.pickBucket(hist, rank);
            prefix |= pick[0] << shift;
            mask |= 0xFF << shift;
            rank = pick[1];
        }
        return new float[] {CudaSelect.keyToFloat(prefix), rank};
    }

    @Test
    void fourPassesFindTheKthLargestWithItsTies() {
        Random r = new Random(7);
        for (int n : new int[] {1, 3, 7, 17, 33, 1001}) {
            float[] x = new float[n];
            for (int i = 0; i < n; i++) x[i] = r.nextInt(5) == 0 ? 0.5f : (float) r.nextGaussian(); // plenty of ties at 0.5
            for (boolean abs : new boolean[] {false, true}) {
                float[] keys = new float[n];
                for (int i = 0; i < n; i++) keys[i] = abs ? Math.abs(x[i]) : x[i];
                float[] sorted = keys.clone();
                Arrays.sort(sorted);
                for (int k = 1; k <= n; k += Math.max(1, n / 7)) {
                    float kth = sorted[n - k];
                    long greater = 0;
                    for (float v : keys) if (v > kth) greater++;
                    float[] got = select(x, k, abs);
                    assertEquals(kth, got[0], "n " + n + " k " + k + " abs " + abs);
                    assertEquals(k - greater, (long) got[1], "ties taken, n " + n + " k " + k);
                }
            }
        }
    }

    @Test
    void aShortHistogramIsAFault() {
        int[] hist = new int[256];
        hist[3] = 2;
        assertArrayEquals(new int[] {3, 2}, CudaSelect.pickBucket(hist, 2));
        assertThrows(IllegalStateException.class, () -> CudaSelect.pickBucket(hist, 3));
    }

    /**
     * The sampled bracket holds the k-th largest key for every k tried, on Gaussian keys and on
     * keys with a fifth of them equal, and its capacity covers the keys inside it with room to
     * spare; the extremes k = 1 and k = n open the bracket at the top and the bottom.
     */
    @Test
    void theSampledBracketHoldsTheKthLargest() {
        for (int seed = 0; seed < 4; seed++) {
            for (boolean tied : new boolean[] {false, true}) {
                int n = 200_003;
                Random r = new Random(seed);
                int[] keys = new int[n];
                for (int i = 0; i < n; i++) keys[i] = CudaSelect.floatToKey(tied && i % 5 == 0 ? 0.5f : (float) r.nextGaussian());
                int[] sample = new int[CudaSelect.SAMPLE];
                int stride = n / CudaSelect.SAMPLE;
                for (int j = 0; j < sample.length; j++) sample[j] = keys[j * stride];
                int[] sorted = keys.clone();
                for (int i = 0; i < n; i++) sorted[i] ^= 0x80000000;
                Arrays.sort(sorted);
                for (int k : new int[] {1, 2, 100, n / 10, n / 2, n - 100, n}) {
                    CudaSelect.Bracket b = CudaSelect.bracket(sample, n, k);
                    int kth = sorted[n - k] ^ 0x80000000;
                    String d = "seed " + seed + (tied ? " tied" : "") + " k " + k;
                    assertTrue(Integer.compareUnsigned(b.lo(), kth) <= 0 && Integer.compareUnsigned(kth, b.hi()) <= 0, "τ inside [lo, hi]: " + d);
                    long inside = Arrays.stream(keys).filter(key -> Integer.compareUnsigned(key, b.lo()) >= 0 && Integer.compareUnsigned(key, b.hi()) <= 0).count();
                    if (!tied) assertTrue(inside <= b.capacity(), inside + " candidates fit " + b.capacity() + ": " + d);
                    if (k == 1) assertEquals(-1, b.hi(), "k = 1: nothing is surely above: " + d);
                    if (k == n) assertEquals(0, b.lo(), "k = n: nothing is surely below: " + d);
                }
            }
        }
    }
}
