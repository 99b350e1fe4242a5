package dev.lethe.surgery;

import dev.lethe.cpu.Parallel;
import dev.lethe.nn.Linear;
import dev.lethe.nn.Module;
import dev.lethe.nn.Sequential;
import dev.lethe.tensor.Tensor;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Global pruning of over 2 million weights, where the mask is written as bits by the one-pass
 * selection that only reads the weights, and w ← w ⊙ m follows from the bits: the same masks
 * as the sort-based reference, pruned weights +0 and kept ones untouched, ties in flattened
 * order, NaN refused with every weight unchanged, and the same bits on 1 and 2 threads.
 */
@Tag("kernels")
class PruneFusedTest {
    /** Two Linear layers holding 2 × 1,100,000 weights (above 2^21 together, below it each). */
    private static Module model(long seed) {
        return new Sequential(new Linear(1100, 1000, seed), new Linear(1000, 1100, seed + 1));
    }

    private static List<Tensor> weights(Module m) {
        return new ArrayList<>(MagnitudePruning.select(m, MagnitudePruning.WEIGHTS).values());
    }

    /** Prunes and checks masks against the reference and weights against where(m, w0, +0). */
    private static ParameterMasks pruneAndCheck(String what, Module m, double s) {
        List<Tensor> before = Lists.copies(weights(m));
        long n = 0;
        for (Tensor w : before) n += w.numel();
        assertTrue(n >= SampledSelect.MIN_N, "the one-pass selection runs");
        ParameterMasks masks = MagnitudePruning.prune(m, s, Scope.GLOBAL);
        Lists.assertSameBits(what + " masks", SurgeryReference.topKMask(before, n - (long) (s * n), TopK.Rank.MAGNITUDE), masks.list());
        Lists.assertSameBits(what + " weights", Lists.keptWhere(masks.list(), before), weights(m));
        return masks;
    }

    @Test
    void gaussianWeightsMatchTheReference() {
        pruneAndCheck("randn", model(1), 0.5);
        pruneAndCheck("randn 0.9", model(2), 0.9);
    }

    @Test
    void tiesAtTheThresholdKeepTheEarliest() {
        Module m = model(3);
        // Every 7th weight set to ±0.0123 (|w| ties well below the median), every 11th to the median's neighbourhood.
        for (Tensor w : weights(m)) {
            float[] a = w.storage().floats();
            for (int i = 0; i < a.length; i += 7) a[i] = (i & 1) == 0 ? 0.0123f : -0.0123f;
            for (int i = 3; i < a.length; i += 11) a[i] = (i & 1) == 0 ? 0.02f : -0.02f;
        }
        pruneAndCheck("ties", m, 0.5);
    }

    /** Sets every 100th weight of each layer to ±v (the sign alternating). */
    private static void tieEveryHundredth(Module m, float v) {
        for (Tensor w : weights(m)) {
            float[] a = w.storage().floats();
            for (int i = 0; i < a.length; i += 100) a[i] = (i & 1) == 0 ? v : -v;
        }
    }

    @Test
    void tiesAtTheThresholdItselfArePartlyKeptInFlattenedOrder() {
        Module m = model(10);
        List<Tensor> ws = weights(m);
        long n = 0;
        for (Tensor w : ws) n += w.numel();
        // Every 100th weight set to ±(the median |w|): τ is that value, 1% of n share it, and about half of them are kept.
        float[] all = new float[(int) n];
        int at = 0;
        for (Tensor w : ws) for (float v : w.storage().floats()) all[at++] = Math.abs(v);
        java.util.Arrays.sort(all);
        float median = all[all.length / 2];
        tieEveryHundredth(m, median);
        TopK.Selection sel = TopK.select(ws, n - n / 2, TopK.Rank.MAGNITUDE);
        assertEquals(median, sel.threshold(), "the ties sit at τ");
        assertTrue(sel.tiesKept() > 1000 && sel.tiesKept() < sel.ties() - 1000, "some ties kept, some dropped: " + sel);
        assertEquals(SampledSelect.Outcome.DONE, SampledSelect.select(FlatList.input("test", "w", ws), n - n / 2, true).outcome(), "the sampled selection finds τ");
        Module twin = model(10);
        tieEveryHundredth(twin, median);
        ParameterMasks two = pruneAndCheck("ties at τ", m, 0.5);
        int saved = Parallel.threads();
        try {
            Parallel.setThreads(1);
            ParameterMasks one = MagnitudePruning.prune(twin, 0.5, Scope.GLOBAL);
            Lists.assertSameBits("1 vs 2 threads, masks", two.list(), one.list());
            Lists.assertSameBits("1 vs 2 threads, weights", weights(m), weights(twin));
        } finally {
            Parallel.setThreads(saved);
        }
        // Per tensor too: each layer's own τ.
        Module per = model(10);
        tieEveryHundredth(per, median);
        List<Tensor> before = Lists.copies(weights(per));
        ParameterMasks masks = MagnitudePruning.prune(per, 0.5, Scope.PER_TENSOR);
        for (int t = 0; t < before.size(); t++) {
            long nt = before.get(t).numel();
            Lists.assertSameBits("per tensor " + t, SurgeryReference.topKMask(List.of(before.get(t)), nt - nt / 2, TopK.Rank.MAGNITUDE), List.of(masks.list().get(t)));
        }
    }

    @Test
    void allEqualWeightsAndTheExtremeSparsities() {
        Module m = model(4);
        for (Tensor w : weights(m)) java.util.Arrays.fill(w.storage().floats(), -0.25f);
        pruneAndCheck("equal", m, 0.5);
        pruneAndCheck("s=0", model(5), 0.0);
        ParameterMasks all = pruneAndCheck("s=1", model(6), 1.0);
        assertEquals(0, all.kept());
    }

    @Test
    void infinitiesArePrunedLast() {
        Module m = model(7);
        List<Tensor> ws = weights(m);
        float[] a = ws.get(0).storage().floats(), b = ws.get(1).storage().floats();
        a[17] = Float.POSITIVE_INFINITY;
        b[b.length - 1] = Float.NEGATIVE_INFINITY;
        ParameterMasks masks = pruneAndCheck("inf", m, 0.999);
        assertEquals(1f, masks.list().get(0).storage().floats()[17]);
    }

    @Test
    void aNanWeightIsRefusedBeforeAnyWeightChanges() {
        // Per tensor, the first layer's selection succeeds before the second's finds the NaN.
        for (Scope scope : Scope.values()) {
            Module m = model(8);
            List<Tensor> ws = weights(m);
            ws.get(1).storage().floats()[12345] = Float.NaN;
            List<Tensor> before = Lists.copies(ws);
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> MagnitudePruning.prune(m, 0.5, scope));
            assertTrue(e.getMessage().contains("tensor 1 element 12345 is NaN"), scope + ": " + e.getMessage());
            Lists.assertSameBits(scope + ": weights untouched", before, weights(m));
        }
    }

    @Test
    void sameBitsOnOneAndTwoThreads() {
        int saved = Parallel.threads();
        try {
            Parallel.setThreads(1);
            Module one = model(9);
            ParameterMasks m1 = MagnitudePruning.prune(one, 0.5, Scope.GLOBAL);
            Parallel.setThreads(2);
            Module two = model(9);
            ParameterMasks m2 = MagnitudePruning.prune(two, 0.5, Scope.GLOBAL);
            Lists.assertSameBits("masks", m1.list(), m2.list());
            Lists.assertSameBits("weights", weights(one), weights(two));
        } finally {
            Parallel.setThreads(saved);
        }
    }
}
