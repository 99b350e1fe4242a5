package dev.lethe.surgery;

import dev.lethe.cpu.Parallel;
import dev.lethe.surgery.TopK.Rank;
import dev.lethe.surgery.TopK.Selection;
import dev.lethe.tensor.Tensor;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Radix top-k against the sort-based reference: exactly k kept, the tie rule (above τ, then
 * τ-equal entries in flattened order), ±∞, NaN refused, k = 0 and k = n, and the same bits on
 * 1 and 2 threads.
 */
@Tag("kernels")
class TopKTest {
    private static void assertMatchesReference(String what, List<Tensor> scores, long k, Rank rank) {
        List<Tensor> fast = TopK.mask(scores, k, rank);
        Lists.assertSameBits(what + " k=" + k + " " + rank, SurgeryReference.topKMask(scores, k, rank), fast);
        assertEquals(k, Lists.ones(fast), what + ": kept count");
        assertEquals(SurgeryReference.select(scores, k, rank), TopK.select(scores, k, rank), what + ": selection");
    }

    @Test
    void matchesReferenceOnOddSizes() {
        for (int n : new int[] {1, 3, 17, 1000}) {
            List<Tensor> s = Lists.randn(n, new int[] {n});
            for (long k : new long[] {0, 1, n / 2, n - 1, n}) {
                if (k < 0) continue;
                assertMatchesReference("n=" + n, s, k, Rank.VALUE);
                assertMatchesReference("n=" + n, s, k, Rank.MAGNITUDE);
            }
        }
    }

    @Test
    void matchesReferenceOnAListOfOddSizedTensors() {
        List<Tensor> s = Lists.randn(5, Lists.ODD_SHAPES);
        long n = 0;
        for (Tensor t : s) n += t.numel();
        for (long k = 0; k <= n; k += 7) {
            assertMatchesReference("list", s, k, Rank.VALUE);
            assertMatchesReference("list", s, k, Rank.MAGNITUDE);
        }
        assertMatchesReference("list", s, n, Rank.MAGNITUDE);
    }

    @Test
    void matchesReferenceOnAMillionScores() {
        List<Tensor> s = Lists.randn(9, new int[] {1_000_003});
        assertMatchesReference("1e6", s, 500_001, Rank.MAGNITUDE);
        assertMatchesReference("1e6", s, 123_457, Rank.VALUE);
    }

    @Test
    void tiesKeepTheEarliestEntriesInFlattenedOrder() {
        // Flattened: 5, 1, 3 | 3, 3 | 0, 3. The 3rd largest is 3; 5 is above; the first two 3s win.
        List<Tensor> s = Lists.of(new float[] {5, 1, 3}, new float[] {3, 3}, new float[] {0, 3});
        List<Tensor> m = TopK.mask(s, 3, Rank.VALUE);
        Lists.assertSameBits("ties", Lists.of(new float[] {1, 0, 1}, new float[] {1, 0}, new float[] {0, 0}), m);
        assertEquals(new Selection(3f, 1, 2, 4), TopK.select(s, 3, Rank.VALUE));
    }

    @Test
    void tiesOnCoarseValuesMatchReference() {
        List<Tensor> s = Lists.coarse(3, 2, Lists.ODD_SHAPES);
        for (long k = 0; k <= 200; k += 9) {
            assertMatchesReference("coarse", s, k, Rank.VALUE);
            assertMatchesReference("coarse", s, k, Rank.MAGNITUDE);
        }
    }

    @Test
    void allEqualInputsKeepTheFirstK() {
        float[] a = new float[1001];
        java.util.Arrays.fill(a, -2.5f);
        for (long k : new long[] {0, 1, 500, 1001}) {
            List<Tensor> m = TopK.mask(Lists.of(a), k, Rank.MAGNITUDE);
            float[] got = m.get(0).toFloatArray();
            for (int i = 0; i < a.length; i++) assertEquals(i < k ? 1f : 0f, got[i], "k=" + k + " element " + i);
        }
    }

    @Test
    void aBucketTooLargeToCollectIsRefinedByPassesOverTheData() {
        // 1.2M zeros (more than the 2^20 keys collected at once) plus spread values around them.
        int n = 1_300_000;
        float[] a = new float[n];
        float[] noise = Tensor.randn(4, n).toFloatArray();
        for (int i = 0; i < n; i += 13) a[i] = noise[i];
        List<Tensor> s = Lists.of(a);
        assertMatchesReference("zeros", s, n / 2, Rank.MAGNITUDE);
        assertMatchesReference("zeros", s, n / 2, Rank.VALUE);
    }

    @Test
    void largeListsUseSixteenBitDigits() {
        // Above 2^21 entries the first digit has 16 bits: check the fused mask pass, the
        // data passes for a huge bucket (1.4M zeros), ±∞ and NaN detection at that width.
        int n = 1_100_000;
        float[] a = Tensor.randn(12, n).toFloatArray(), b = Tensor.randn(13, n).toFloatArray();
        assertMatchesReference("2.2e6", Lists.of(a, b), n, Rank.MAGNITUDE);
        for (int i = 0; i < n; i++) if (i % 3 != 0) b[i] = 0f;
        for (int i = 0; i < n; i += 2) a[i] = -0f;
        a[5] = Float.NEGATIVE_INFINITY;
        b[7] = Float.POSITIVE_INFINITY;
        List<Tensor> zeros = Lists.of(a, b);
        assertMatchesReference("2.2e6 zeros", zeros, n, Rank.VALUE);
        assertMatchesReference("2.2e6 zeros", zeros, 700_001, Rank.MAGNITUDE);
        b[n - 1] = Float.NaN;
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> TopK.select(Lists.of(a, b), 3, Rank.VALUE));
        assertTrue(e.getMessage().contains("tensor 1 element " + (n - 1) + " is NaN"), e.getMessage());
    }

    @Test
    void largeListsAreSelectedByOneReadOnlyPass() {
        // From 2^21 entries a sample brackets τ and one pass that writes nothing gathers the
        // band; then a compare pass writes the masks. Ties inside the band go by flattened order.
        int n = 1_100_000;
        float[] a = Tensor.randn(14, n).toFloatArray(), b = Tensor.randn(15, n).toFloatArray();
        for (int i = 0; i < n; i += 97) a[i] = (i & 1) == 0 ? 0.6745f : -0.6745f;
        List<Tensor> s = Lists.of(a, b);
        FlatList flat = FlatList.input("top-k", "scores", s);
        for (Rank rank : Rank.values()) {
            long k = rank == Rank.MAGNITUDE ? n : 2 * n / 3;
            assertEquals(SampledSelect.Outcome.DONE, SampledSelect.select(flat, k, rank == Rank.MAGNITUDE).outcome(), rank.toString());
            assertMatchesReference("2.2e6 band", s, k, rank);
            assertMatchesReference("2.2e6 band", s, 1, rank);
            assertMatchesReference("2.2e6 band", s, 2L * n - 1, rank);
        }
        // A NaN is refused before any mask is written.
        b[n - 2] = Float.NaN;
        List<Tensor> withNaN = Lists.of(a, b);
        List<Tensor> masks = Lists.of(new float[n], new float[n]);
        java.util.Arrays.fill(masks.get(1).storage().floats(), 7f);
        for (Rank rank : Rank.values()) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> TopK.maskInto(withNaN, n, rank, masks));
            assertTrue(e.getMessage().contains("tensor 1 element " + (n - 2) + " is NaN"), e.getMessage());
        }
        float[] sevens = new float[n];
        java.util.Arrays.fill(sevens, 7f);
        Lists.assertSameBits("untouched", Lists.of(new float[n], sevens), masks);
    }

    @Test
    void negativeZeroEqualsPositiveZero() {
        List<Tensor> s = Lists.of(new float[] {-0f, 0f, -0f, -1f});
        List<Tensor> m = TopK.mask(s, 2, Rank.VALUE);
        Lists.assertSameBits("±0", Lists.of(new float[] {1, 1, 0, 0}), m);
        assertEquals(0f, TopK.select(s, 2, Rank.VALUE).threshold());
    }

    @Test
    void infinitiesOrderAsUsual() {
        float inf = Float.POSITIVE_INFINITY;
        List<Tensor> s = Lists.of(new float[] {1, -inf, inf, -3, inf}, new float[] {-inf, 2});
        assertEquals(new Selection(inf, 0, 2, 2), TopK.select(s, 2, Rank.VALUE));
        assertEquals(new Selection(-inf, 5, 1, 2), TopK.select(s, 6, Rank.VALUE));
        Lists.assertSameBits("-inf", Lists.of(new float[] {1, 1, 1, 1, 1}, new float[] {0, 1}), TopK.mask(s, 6, Rank.VALUE));
        // By magnitude the four infinities tie; the first three in flattened order win.
        Lists.assertSameBits("|inf|", Lists.of(new float[] {0, 1, 1, 0, 1}, new float[] {0, 0}), TopK.mask(s, 3, Rank.MAGNITUDE));
        assertMatchesReference("inf", s, 4, Rank.MAGNITUDE);
        assertMatchesReference("inf", s, 3, Rank.VALUE);
    }

    @Test
    void nanIsRefusedNamingTensorAndElementBeforeAnyMaskIsWritten() {
        List<Tensor> s = Lists.of(new float[] {1, 2, 3}, new float[] {4, Float.NaN});
        List<Tensor> masks = Lists.of(new float[] {7, 7, 7}, new float[] {7, 7});
        for (Rank rank : Rank.values()) {
            for (long k : new long[] {0, 2, 5}) {
                IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> TopK.maskInto(s, k, rank, masks));
                assertTrue(e.getMessage().contains("tensor 1 element 1 is NaN"), e.getMessage());
            }
        }
        Lists.assertSameBits("untouched", Lists.of(new float[] {7, 7, 7}, new float[] {7, 7}), masks);
        float negNaN = Float.intBitsToFloat(0xFFC00001);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> TopK.select(Lists.of(new float[] {negNaN}), 1, Rank.VALUE));
        assertTrue(e.getMessage().contains("tensor 0 element 0 is NaN"), e.getMessage());
    }

    @Test
    void badArgumentsAreNamed() {
        List<Tensor> s = Lists.of(new float[] {1, 2, 3});
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> TopK.select(s, 4, Rank.VALUE));
        assertTrue(e.getMessage().contains("k = 4 is outside [0, 3]"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> TopK.maskInto(s, 1, Rank.VALUE, List.of(Tensor.zeros(2))));
        assertTrue(e.getMessage().contains("tensor 0 shapes differ, scores is [3], masks is [2]"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> TopK.maskInto(s, 1, Rank.VALUE, List.of()));
        assertTrue(e.getMessage().contains("scores has 1 tensors but masks has 0"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> TopK.maskInto(List.of(Tensor.randn(1, 2, 3)), 1, Rank.VALUE, List.of(Tensor.zeros(3, 2).t())));
        assertTrue(e.getMessage().contains("masks tensor 0 [2, 3] is written in place and must be contiguous"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> TopK.maskInto(s, 1, Rank.VALUE, s));
        assertTrue(e.getMessage().contains("masks tensor 0 shares storage with scores tensor 0"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> TopK.select(List.of(Tensor.zeros(dev.lethe.tensor.DType.FLOAT64, 2)), 1, Rank.VALUE));
        assertTrue(e.getMessage().contains("scores tensor 0 [2] is float64; expected float32"), e.getMessage());
    }

    @Test
    void nonContiguousScoresAreReadInRowMajorOrder() {
        Tensor x = Tensor.randn(11, 17, 33);
        List<Tensor> viaView = TopK.mask(List.of(x.t()), 100, Rank.MAGNITUDE);
        List<Tensor> viaCopy = TopK.mask(List.of(x.t().contiguous()), 100, Rank.MAGNITUDE);
        Lists.assertSameBits("t()", viaCopy, viaView);
    }

    @Test
    void sameBitsOnOneAndTwoThreads() {
        int saved = Parallel.threads();
        try {
            List<Tensor> s = Lists.coarse(8, 50, new int[] {600_001}, new int[] {3}, new int[] {400_017});
            Parallel.setThreads(1);
            List<Tensor> one = TopK.mask(s, 400_000, Rank.MAGNITUDE);
            Parallel.setThreads(2);
            List<Tensor> two = TopK.mask(s, 400_000, Rank.MAGNITUDE);
            Lists.assertSameBits("threads", one, two);
            assertEquals(400_000, Lists.ones(two));
        } finally {
            Parallel.setThreads(saved);
        }
    }

    @Test
    void keysOrderLikeTheValues() {
        float[] v = {Float.NEGATIVE_INFINITY, -Float.MAX_VALUE, -1f, -Float.MIN_VALUE, 0f, Float.MIN_VALUE, 1f, Float.MAX_VALUE, Float.POSITIVE_INFINITY};
        for (int i = 0; i + 1 < v.length; i++) {
            assertTrue(Integer.compareUnsigned(RadixSelect.key(v[i], false), RadixSelect.key(v[i + 1], false)) < 0, v[i] + " < " + v[i + 1]);
            assertEquals(v[i], RadixSelect.value(RadixSelect.key(v[i], false), false));
            assertEquals(Math.abs(v[i]), RadixSelect.value(RadixSelect.key(v[i], true), true));
        }
        assertEquals(RadixSelect.key(0f, false), RadixSelect.key(-0f, false));
        assertEquals(RadixSelect.key(3f, true), RadixSelect.key(-3f, true));
    }
}
