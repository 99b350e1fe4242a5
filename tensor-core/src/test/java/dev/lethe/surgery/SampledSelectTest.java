package dev.lethe.surgery;

import dev.lethe.cpu.Parallel;
import dev.lethe.cpu.RestoresThreadCount;
import dev.lethe.surgery.TopK.Rank;
import dev.lethe.tensor.Tensor;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The sampled one-pass top-k (lists of {@link SampledSelect#MIN_N} scores or more, mask
 * written as bits) against the sort-based reference: when the bracket holds τ, and when it
 * cannot (all-equal scores, a spike of equal scores at τ, sorted data, data that fools the
 * stride sample), where the radix path must take over with the same masks — as floats
 * ({@link TopK#maskInto}) and as bits ({@link TopK#packedMask}).
 */
@Tag("kernels")
@ExtendWith(RestoresThreadCount.class)
class SampledSelectTest {
    private static final int N = 200_003;

    /**
     * The outcome of the one-pass attempt alone (its bits, when DONE, checked), then the full
     * maskInto and packedMask checked against the reference.
     */
    private static SampledSelect.Outcome check(String what, List<Tensor> scores, long k, Rank rank) {
        FlatList s = FlatList.input("top-k", "scores", scores);
        List<Tensor> expected = SurgeryReference.topKMask(scores, k, rank);
        SampledSelect.Result onePass = SampledSelect.packed(s, k, rank == Rank.MAGNITUDE);
        if (onePass.outcome() == SampledSelect.Outcome.DONE) {
            Lists.assertSameBits(what + " one pass k=" + k + " " + rank, expected, Lists.expand(onePass.bits(), scores));
        } else {
            assertNull(onePass.bits(), what + ": no bits after " + onePass.outcome());
        }
        List<Tensor> masks = TopK.zerosLike("top-k", scores);
        TopK.Selection sel = TopK.maskInto(scores, k, rank, masks);
        Lists.assertSameBits(what + " k=" + k + " " + rank, expected, masks);
        assertEquals(SurgeryReference.select(scores, k, rank), sel, what + ": selection");
        TopK.Bits packed = TopK.packedMask(s, k, rank);
        Lists.assertSameBits(what + " packed k=" + k + " " + rank, expected, Lists.expand(packed.bits(), scores));
        assertEquals(sel, packed.selection(), what + ": packed selection");
        // The read-only attempt (no bits; by magnitude its own pass), when its band fits.
        SampledSelect.Result readOnly = SampledSelect.select(s, k, rank == Rank.MAGNITUDE);
        if (onePass.outcome() == SampledSelect.Outcome.NAN) assertEquals(SampledSelect.Outcome.NAN, readOnly.outcome(), what + ": NaN seen by the read-only pass");
        // Same bracket, and the read-only pass may gather at least as many band keys: it must
        // succeed wherever the packed pass did (a miscounting pass would otherwise hide behind the fallback).
        if (onePass.outcome() == SampledSelect.Outcome.DONE) assertEquals(SampledSelect.Outcome.DONE, readOnly.outcome(), what + ": read-only outcome k=" + k + " " + rank);
        if (readOnly.outcome() == SampledSelect.Outcome.DONE) assertEquals(sel, readOnly.selection(), what + ": read-only selection k=" + k + " " + rank);
        // Pruning in place keeps the same entries and zeroes the others.
        List<Tensor> kept = Lists.copies(scores);
        long[] bits = TopK.keepTop(FlatList.output("top-k", "scores", kept), Scope.GLOBAL, n -> k, rank)[0];
        Lists.assertSameBits(what + " keepTop k=" + k + " " + rank, expected, Lists.expand(bits, scores));
        Lists.assertSameBits(what + " keepTop values k=" + k + " " + rank, Lists.keptWhere(expected, scores), kept);
        return onePass.outcome();
    }

    @Test
    void gaussianScoresAreSelectedInOnePass() {
        List<Tensor> s = Lists.randn(21, new int[] {N});
        for (Rank rank : Rank.values()) {
            assertEquals(SampledSelect.Outcome.DONE, check("randn", s, N / 2, rank));
            assertEquals(SampledSelect.Outcome.DONE, check("randn", s, N / 10, rank));
            for (long k : new long[] {1, 2, N - 1, N}) check("randn", s, k, rank);
        }
    }

    @Test
    void theMagnitudeReadPassCountsAndGathersAsTheGenericPassForAnyBand() {
        // Scores with every special value, then the bands the bracket never makes (even hi,
        // odd lo, 0 and the top key at either end) as well as ordinary ones.
        float[] a = Tensor.randn(28, 10_007).toFloatArray();
        float[] special = {0f, -0f, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, Float.MIN_VALUE, -Float.MIN_VALUE, Float.MAX_VALUE,
                Float.intBitsToFloat(0x7FC00000), Float.intBitsToFloat(0xFFC00001), Float.intBitsToFloat(0x7F800001), 1f, -1f};
        for (int i = 0; i < a.length; i += 37) a[i] = special[(i / 37) % special.length];
        int one = RadixSelect.key(1f, true);
        int[][] bands = {{0, 0}, {0, -1}, {one, one}, {one - 1, one}, {one, one + 1}, {one + 1, one + 3}, {one - 3, one + 2},
                {-2, -1}, {-1, -1}, {0, 1}, {1, 2}, {RadixSelect.key(Float.POSITIVE_INFINITY, true), -1}, {RadixSelect.key(0.5f, true) + 1, RadixSelect.key(2f, true) - 1}};
        for (int[] band : bands) {
            for (int[] range : new int[][] {{0, a.length}, {3, a.length - 5}, {17, 50}, {0, 0}}) {
                String what = "band [" + Integer.toHexString(band[0]) + ", " + Integer.toHexString(band[1]) + "] range " + range[0] + ".." + range[1];
                SampledSelect.Band generic = new SampledSelect.Band(new java.util.concurrent.atomic.AtomicLong(1 << 20), false);
                SampledSelect.Band fast = new SampledSelect.Band(new java.util.concurrent.atomic.AtomicLong(1 << 20), false);
                long[] g = SampledSelect.pass(a, 0, null, 0, range[0], range[1], true, band[0] ^ 0x80000000, band[1] ^ 0x80000000, generic);
                long[] f = SampledSelect.magnitudeReadPass(a, 0, range[0], range[1], band[0], band[1], fast);
                assertEquals(g[0], f[0], what + ": count above");
                assertEquals(g[1], f[1], what + ": largest key");
                assertEquals(generic.n, fast.n, what + ": band size");
                assertArrayEquals(Arrays.copyOf(generic.keys, generic.n), Arrays.copyOf(fast.keys, fast.n), what + ": band keys in order");
            }
        }
    }

    @Test
    void theCompressPassCountsGathersAndWritesBitsAsTheBranchingPass() {
        // As above, for both ranks, with and without bits and positions; compress is emulated
        // where the CPU lacks it, so this runs at every width.
        float[] a = Tensor.randn(29, 10_007).toFloatArray();
        float[] special = {0f, -0f, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, Float.MIN_VALUE, -Float.MIN_VALUE, Float.MAX_VALUE,
                -Float.MAX_VALUE, Float.intBitsToFloat(0x7FC00000), Float.intBitsToFloat(0xFFC00001), 1f, -1f};
        for (int i = 0; i < a.length; i += 41) a[i] = special[(i / 41) % special.length];
        for (boolean magnitude : new boolean[] {true, false}) {
            int one = RadixSelect.key(1f, magnitude), minusOne = RadixSelect.key(-1f, magnitude);
            int[][] bands = {{0, 0}, {0, -1}, {one, one}, {one - 1, one}, {one + 1, one + 3}, {one - 3, one + 2}, {-2, -1}, {-1, -1},
                    {0, 1}, {minusOne, one}, {RadixSelect.key(-0.5f, magnitude), RadixSelect.key(0.5f, magnitude)},
                    {RadixSelect.key(Float.POSITIVE_INFINITY, magnitude), -1}, {RadixSelect.key(0.5f, magnitude) + 1, RadixSelect.key(2f, magnitude) - 1}};
            for (int[] band : bands) {
                if (Integer.compareUnsigned(band[0], band[1]) > 0) continue;
                for (int[] range : new int[][] {{0, a.length}, {3, a.length - 5}, {17, 50}, {64, 128}, {0, 0}}) {
                    for (boolean withBits : new boolean[] {false, true}) {
                        String what = (magnitude ? "magnitude" : "value") + (withBits ? " bits" : "") + " band [" + Integer.toHexString(band[0]) + ", "
                                + Integer.toHexString(band[1]) + "] range " + range[0] + ".." + range[1];
                        long[] bitsG = withBits ? FlatBits.allocate(a.length + 100) : null, bitsC = withBits ? FlatBits.allocate(a.length + 100) : null;
                        SampledSelect.Band generic = new SampledSelect.Band(new java.util.concurrent.atomic.AtomicLong(1 << 20), withBits);
                        SampledSelect.Band compressed = new SampledSelect.Band(new java.util.concurrent.atomic.AtomicLong(1 << 20), withBits);
                        long[] g = SampledSelect.pass(a, 0, bitsG, 100, range[0], range[1], magnitude, band[0] ^ 0x80000000, band[1] ^ 0x80000000, generic);
                        long[] c = SampledSelect.compressPass(a, 0, bitsC, 100, range[0], range[1], magnitude, band[0], band[1], compressed);
                        assertArrayEquals(g, c, what + ": count above, largest and smallest key");
                        assertEquals(generic.n, compressed.n, what + ": band size");
                        assertArrayEquals(Arrays.copyOf(generic.keys, generic.n), Arrays.copyOf(compressed.keys, compressed.n), what + ": band keys in order");
                        if (withBits) {
                            assertArrayEquals(Arrays.copyOf(generic.where, generic.n), Arrays.copyOf(compressed.where, compressed.n), what + ": band positions");
                            assertArrayEquals(bitsG, bitsC, what + ": bits above the band");
                        }
                    }
                }
            }
        }
    }

    @Test
    void aListOfOddSizedTensorsIsOneFlattenedVector() {
        List<Tensor> s = Lists.randn(22, new int[] {301, 257}, new int[] {1}, new int[] {0}, new int[] {65_537}, new int[] {33, 999});
        for (long k : new long[] {1, 50_001, 100_000, 130_000}) {
            check("list", s, k, Rank.MAGNITUDE);
            check("list", s, k, Rank.VALUE);
        }
    }

    @Test
    void rowsOfDifferentScalesAreBracketedInOnePass() {
        // Rows of 1,000 scores share a scale drawn per row, as a layer's rows can: the scores of
        // one sample run are alike, so the sample ranks err far more than independent scores'
        // would, and a binomial margin misses τ (the radix path then runs); the runs' own
        // spread widens the band enough.
        int rows = 1_100, cols = 1_000;
        float[] a = Tensor.randn(31, rows * cols).toFloatArray(), scale = Tensor.randn(32, rows).toFloatArray();
        for (int i = 0; i < a.length; i++) a[i] *= (float) Math.exp(2 * scale[i / cols]);
        List<Tensor> s = Lists.of(a);
        for (long k : new long[] {a.length / 2, a.length / 10, 9L * a.length / 10}) {
            assertEquals(SampledSelect.Outcome.DONE, check("rows", s, k, Rank.MAGNITUDE), "k=" + k);
            assertEquals(SampledSelect.Outcome.DONE, check("rows", s, k, Rank.VALUE), "k=" + k);
        }
    }

    @Test
    void allEqualScoresFallBackAndKeepTheFirstK() {
        float[] a = new float[N];
        Arrays.fill(a, -1.5f);
        for (long k : new long[] {1, N / 2, N}) {
            check("equal", Lists.of(a), k, Rank.MAGNITUDE);
            check("equal", Lists.of(a), k, Rank.VALUE);
        }
    }

    @Test
    void aSpikeOfEqualScoresAtTheThresholdKeepsTheEarliest() {
        float[] a = Tensor.randn(23, N).toFloatArray();
        for (int i = 0; i < N; i += 3) a[i] = 0.5f;
        for (long k : new long[] {N / 4, N / 2, 2L * N / 3}) {
            check("spike", Lists.of(a), k, Rank.MAGNITUDE);
            check("spike", Lists.of(a), k, Rank.VALUE);
        }
        List<Tensor> coarse = Lists.coarse(24, 4, new int[] {N});
        check("coarse", coarse, N / 2, Rank.MAGNITUDE);
        check("coarse", coarse, N / 3, Rank.VALUE);
    }

    @Test
    void sortedScoresMatchReference() {
        float[] a = new float[N];
        for (int i = 0; i < N; i++) a[i] = (i - N / 3) * 1e-3f;
        for (long k : new long[] {1, N / 2, N - 7}) {
            check("sorted", Lists.of(a), k, Rank.MAGNITUDE);
            check("sorted", Lists.of(a), k, Rank.VALUE);
        }
    }

    @Test
    void scoresThatFoolTheStrideSampleFallBack() {
        // Make exactly the scores the bracket's sample reads large: the sample then says nothing of the rest.
        float[] a = new float[N];
        int large = 0;
        for (int i = 0; i < N; i++) {
            boolean sampled = SampledSelect.sampled(N, i);
            a[i] = sampled ? 1000f + i % 97 : (i % 89) * 1e-3f;
            if (sampled) large++;
        }
        assertTrue(large > 0 && large < N / 2, "the sample covers " + large + " of " + N);
        assertEquals(SampledSelect.Outcome.MISSED, check("fooled", Lists.of(a), 2L * large, Rank.MAGNITUDE));
        check("fooled", Lists.of(a), N / 2, Rank.VALUE);
        check("fooled", Lists.of(a), large / 2, Rank.VALUE);
    }

    @Test
    void infinitiesAndZerosOrderAsUsual() {
        float[] a = Tensor.randn(25, N).toFloatArray();
        for (int i = 0; i < N; i += 7) a[i] = (i & 1) == 0 ? -0f : 0f;
        for (int i = 3; i < N; i += 101) a[i] = (i & 1) == 0 ? Float.POSITIVE_INFINITY : Float.NEGATIVE_INFINITY;
        for (long k : new long[] {1000, N / 2, N - 10}) {
            check("inf", Lists.of(a), k, Rank.MAGNITUDE);
            check("inf", Lists.of(a), k, Rank.VALUE);
        }
    }

    @Test
    void aNanIsNamedAndNoMaskIsWritten() {
        float[] a = Tensor.randn(26, N).toFloatArray(), b = Tensor.randn(27, 1000).toFloatArray();
        b[999] = Float.NaN;
        for (Rank rank : Rank.values()) {
            List<Tensor> masks = Lists.of(new float[N], new float[1000]);
            Arrays.fill(masks.get(0).storage().floats(), 7f);
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> TopK.maskInto(Lists.of(a, b), N / 2, rank, masks));
            assertTrue(e.getMessage().contains("tensor 1 element 999 is NaN"), e.getMessage());
            for (float v : masks.get(0).storage().floats()) assertEquals(7f, v, rank + ": mask 0 untouched");
            assertEquals(0, Lists.ones(List.of(masks.get(1))), rank + ": mask 1 untouched");
            FlatList s = FlatList.input("top-k", "scores", Lists.of(a, b));
            e = assertThrows(IllegalArgumentException.class, () -> TopK.packedMask(s, N / 2, rank));
            assertTrue(e.getMessage().contains("tensor 1 element 999 is NaN"), e.getMessage());
            assertEquals(SampledSelect.Outcome.NAN, SampledSelect.select(s, N / 2, rank == Rank.MAGNITUDE).outcome(), rank + ": read-only pass");
        }
        b[999] = Float.intBitsToFloat(0xFFC00001);
        FlatList negativeNaN = FlatList.input("top-k", "scores", Lists.of(a, b));
        for (Rank rank : Rank.values()) assertEquals(SampledSelect.Outcome.NAN, SampledSelect.select(negativeNaN, N / 2, rank == Rank.MAGNITUDE).outcome(), rank + ": −NaN");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> TopK.mask(Lists.of(a, b), 5, Rank.VALUE));
        assertTrue(e.getMessage().contains("tensor 1 element 999 is NaN"), e.getMessage());
    }

    @Test
    void sameBitsOnOneAndTwoThreads() {
        List<Tensor> s = Lists.coarse(28, 50, new int[] {300_001}, new int[] {3}, new int[] {99_999});
        Parallel.setThreads(1);
        List<Tensor> one = TopK.mask(s, 200_000, Rank.MAGNITUDE);
        Parallel.setThreads(2);
        List<Tensor> two = TopK.mask(s, 200_000, Rank.MAGNITUDE);
        Lists.assertSameBits("threads", one, two);
        FlatList f = FlatList.input("top-k", "scores", s);
        Parallel.setThreads(1);
        long[] bitsOne = TopK.packedMask(f, 200_000, Rank.MAGNITUDE).bits();
        Parallel.setThreads(2);
        assertArrayEquals(bitsOne, TopK.packedMask(f, 200_000, Rank.MAGNITUDE).bits(), "bits on 1 and 2 threads");
        Lists.assertSameBits("reference", SurgeryReference.topKMask(s, 200_000, Rank.MAGNITUDE), two);
    }

    /** The bracket's second stage reads its runs on every thread: the bracket must still be the same. */
    @Test
    void theBracketDoesNotDependOnTheThreadCount() {
        List<Tensor> s = Lists.coarse(30, 50, new int[] {300_001}, new int[] {3}, new int[] {99_999});
        FlatList f = FlatList.input("top-k", "scores", s);
        for (Rank rank : Rank.values()) {
            for (long k : new long[] {f.total / 2, f.total / 10, 1}) {
                Parallel.setThreads(1);
                int[] one = SampledSelect.bracket(f, k, rank == Rank.MAGNITUDE);
                for (int threads = 2; threads <= 3; threads++) {
                    Parallel.setThreads(threads);
                    assertArrayEquals(one, SampledSelect.bracket(f, k, rank == Rank.MAGNITUDE), rank + " k=" + k + " on " + threads + " threads");
                }
            }
        }
    }

    /**
     * Ties at τ spread over many chunks of three tensors, on 1, 2 and 3 threads: the τ-equal
     * entries kept are the earliest in flattened order whichever thread set which chunk's bits.
     */
    @Test
    void tiesSpreadOverManyChunksKeepTheEarliestOnAnyThreadCount() {
        // Values on a grid of 1/8: thousands of entries share each value, τ's included.
        List<Tensor> s = Lists.coarse(29, 8, new int[] {400_003}, new int[] {77}, new int[] {333_331});
        FlatList f = FlatList.input("top-k", "scores", s);
        for (long k : new long[] {f.total / 2, f.total / 3 + 17}) {
            for (Rank rank : Rank.values()) {
                List<Tensor> expected = SurgeryReference.topKMask(s, k, rank);
                long[] first = null;
                for (int threads = 1; threads <= 3; threads++) {
                    Parallel.setThreads(threads);
                    TopK.Bits bits = TopK.packedMask(f, k, rank);
                    Lists.assertSameBits(threads + " threads k=" + k + " " + rank, expected, Lists.expand(bits.bits(), s));
                    assertEquals(SurgeryReference.select(s, k, rank), bits.selection());
                    if (first == null) first = bits.bits();
                    else assertArrayEquals(first, bits.bits(), threads + " threads: the same words");
                }
                if (f.total % 64 != 0) assertEquals(0, first[first.length - 1] >>> (f.total % 64), "no bit set past the last entry");
                assertEquals(SampledSelect.Outcome.DONE, SampledSelect.packed(f, k, rank == Rank.MAGNITUDE).outcome(), "ties handled in the one pass");
            }
        }
    }
}
