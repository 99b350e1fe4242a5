package dev.lethe.surgery;

import dev.lethe.cpu.Parallel;
import dev.lethe.surgery.TopK.Rank;
import dev.lethe.tensor.Tensor;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The sampled one-pass top-k (lists of {@link SampledSelect#MIN_N} to {@link SampledSelect#MAX_N} scores) against the
 * sort-based reference: when the bracket holds τ, and when it cannot (all-equal scores, a
 * spike of equal scores at τ, sorted data, data that fools the stride sample), where the radix
 * path must take over with the same masks.
 */
@Tag("kernels")
class SampledSelectTest {
    private static final int N = 200_003;

    /** The outcome of the one-pass attempt alone, then the full maskInto checked against the reference. */
    private static SampledSelect.Outcome check(String what, List<Tensor> scores, long k, Rank rank) {
        FlatList s = FlatList.input("top-k", "scores", scores);
        List<Tensor> probe = TopK.zerosLike("top-k", scores);
        SampledSelect.Outcome outcome = SampledSelect.maskInto(s, FlatList.output("top-k", "masks", probe), k, rank == Rank.MAGNITUDE).outcome();
        List<Tensor> masks = TopK.zerosLike("top-k", scores);
        TopK.Selection sel = TopK.maskInto(scores, k, rank, masks);
        Lists.assertSameBits(what + " k=" + k + " " + rank, SurgeryReference.topKMask(scores, k, rank), masks);
        assertEquals(SurgeryReference.select(scores, k, rank), sel, what + ": selection");
        if (outcome == SampledSelect.Outcome.DONE) Lists.assertSameBits(what + " one pass k=" + k + " " + rank, masks, probe);
        return outcome;
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
    void aListOfOddSizedTensorsIsOneFlattenedVector() {
        List<Tensor> s = Lists.randn(22, new int[] {301, 257}, new int[] {1}, new int[] {0}, new int[] {65_537}, new int[] {33, 999});
        for (long k : new long[] {1, 50_001, 100_000, 130_000}) {
            check("list", s, k, Rank.MAGNITUDE);
            check("list", s, k, Rank.VALUE);
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
        // The sample reads every 16th score (n/16 of them, from index 8); make exactly those large.
        float[] a = new float[N];
        for (int i = 0; i < N; i++) a[i] = (i % 16 == 8) ? 1000f + i % 97 : (i % 89) * 1e-3f;
        assertEquals(SampledSelect.Outcome.MISSED, check("fooled", Lists.of(a), N / 2, Rank.MAGNITUDE));
        check("fooled", Lists.of(a), N / 2, Rank.VALUE);
        check("fooled", Lists.of(a), N / 20, Rank.VALUE);
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
    void aNanIsNamedAndTheMasksAreLeftZero() {
        float[] a = Tensor.randn(26, N).toFloatArray(), b = Tensor.randn(27, 1000).toFloatArray();
        b[999] = Float.NaN;
        for (Rank rank : Rank.values()) {
            List<Tensor> masks = Lists.of(new float[N], new float[1000]);
            Arrays.fill(masks.get(0).storage().floats(), 7f);
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> TopK.maskInto(Lists.of(a, b), N / 2, rank, masks));
            assertTrue(e.getMessage().contains("tensor 1 element 999 is NaN"), e.getMessage());
            assertEquals(0, Lists.ones(masks), rank + ": masks left all 0");
        }
        b[999] = Float.intBitsToFloat(0xFFC00001);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> TopK.mask(Lists.of(a, b), 5, Rank.VALUE));
        assertTrue(e.getMessage().contains("tensor 1 element 999 is NaN"), e.getMessage());
    }

    @Test
    void sameBitsOnOneAndTwoThreads() {
        int saved = Parallel.threads();
        try {
            List<Tensor> s = Lists.coarse(28, 50, new int[] {300_001}, new int[] {3}, new int[] {99_999});
            Parallel.setThreads(1);
            List<Tensor> one = TopK.mask(s, 200_000, Rank.MAGNITUDE);
            Parallel.setThreads(2);
            List<Tensor> two = TopK.mask(s, 200_000, Rank.MAGNITUDE);
            Lists.assertSameBits("threads", one, two);
            Lists.assertSameBits("reference", SurgeryReference.topKMask(s, 200_000, Rank.MAGNITUDE), two);
        } finally {
            Parallel.setThreads(saved);
        }
    }
}
