package dev.lethe.surgery;

import dev.lethe.cpu.Parallel;
import dev.lethe.tensor.Tensor;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.function.LongUnaryOperator;

import static org.junit.jupiter.api.Assertions.*;

/**
 * {@link TopK#keepTop}, the in-place pruning step: the bits and the zeroed list against the
 * sort-based reference mask, by value and by magnitude, globally and per tensor, on odd sizes
 * and on a tensor longer than a chunk, with many ties at τ (so later ties are dropped after
 * the pass), ±0, ±∞, k = 0 and k = n, on 1 and 2 threads. The whole list and the 70,001-entry
 * tensor (from 2^16 scores) are selected by the sample-bracketed pass, the small tensors by
 * the radix descent.
 */
@Tag("kernels")
class KeepTopTest {
    /** Odd shapes plus one tensor longer than a chunk, so ties are spread over several chunks. */
    private static final int[][] SHAPES = {{7, 11}, {1}, {0}, {3, 17}, {70_001}, {33, 5}};

    /** Keeps {@code keep(n)} in place and checks bits and values against the reference. */
    private static void check(String what, List<Tensor> scores, Scope scope, TopK.Rank rank, LongUnaryOperator keep) {
        List<Tensor> before = Lists.copies(scores);
        FlatList list = FlatList.output("test", "scores", scores);
        long[][] bits = TopK.keepTop(list, scope, keep, rank);
        List<String> names = new ArrayList<>();
        for (int t = 0; t < scores.size(); t++) names.add("t" + t);
        List<Tensor> masks = ParameterMasks.ofBits(names, list, bits).list();
        List<Tensor> expectedMasks = new ArrayList<>();
        if (scope == Scope.GLOBAL) {
            expectedMasks = SurgeryReference.topKMask(before, keep.applyAsLong(list.total), rank);
        } else {
            for (Tensor t : before) expectedMasks.add(SurgeryReference.topKMask(List.of(t), keep.applyAsLong(t.numel()), rank).get(0));
        }
        Lists.assertSameBits(what + " masks", expectedMasks, masks);
        Lists.assertSameBits(what + " values", Lists.keptWhere(expectedMasks, before), scores);
    }

    @Test
    void matchesTheReferenceWithManyTiesOnOneAndTwoThreads() {
        int saved = Parallel.threads();
        try {
            for (int threads : new int[] {1, 2}) {
                Parallel.setThreads(threads);
                for (TopK.Rank rank : TopK.Rank.values()) {
                    for (Scope scope : Scope.values()) {
                        for (double keep : new double[] {0.0, 0.013, 0.5, 0.77, 1.0}) {
                            String what = threads + " threads " + rank + " " + scope + " keep " + keep;
                            // Three levels per unit: about a fifth of the entries share each value, so τ has many ties.
                            check(what + " coarse", Lists.coarse(31, 3, SHAPES), scope, rank, n -> (long) (keep * n));
                            check(what + " randn", Lists.randn(32, SHAPES), scope, rank, n -> (long) (keep * n));
                        }
                    }
                }
            }
        } finally {
            Parallel.setThreads(saved);
        }
    }

    @Test
    void zerosThatShareTheThresholdAreNotCountedAsTies() {
        // By value, τ = 0 with only some of the zeros kept: the negatives the pass zeroes then
        // hold +0, τ's key, yet they are not kept τ-equal entries.
        float[] a = new float[70_003];
        for (int i = 0; i < a.length; i++) a[i] = switch (i % 4) { case 0 -> -1f; case 1 -> 0f; case 2 -> -0f; default -> 2f; };
        long positives = a.length / 4, zeros = a.length / 2 + 1;
        assertEquals(0f, TopK.select(Lists.of(a), positives + zeros / 3, TopK.Rank.VALUE).threshold());
        check("τ = 0", Lists.of(a), Scope.GLOBAL, TopK.Rank.VALUE, n -> positives + zeros / 3);
    }

    @Test
    void infinitiesAreDroppedAtKZero() {
        float[] a = new float[1000];
        a[3] = Float.POSITIVE_INFINITY;
        a[500] = Float.NEGATIVE_INFINITY;
        for (TopK.Rank rank : TopK.Rank.values()) check("k = 0 " + rank, Lists.of(a.clone()), Scope.GLOBAL, rank, n -> 0);
    }

    @Test
    void aTensorListedTwiceIsRefusedBeforeAnyWrite() {
        Tensor w = Tensor.randn(34, 1000);
        Tensor before = w.detach().clone();
        for (Scope scope : Scope.values()) {
            FlatList list = FlatList.output("test", "scores", List.of(Tensor.randn(35, 10), w, w));
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> TopK.keepTop(list, scope, n -> n / 2, TopK.Rank.MAGNITUDE));
            assertTrue(e.getMessage().contains("tensors 1 and 2 share elements"), e.getMessage());
            Lists.assertSameBits(scope + ": nothing written", List.of(before), List.of(w));
        }
    }

    @Test
    void aNanInAnyGroupIsRefusedBeforeAnyGroupChanges() {
        List<Tensor> scores = Lists.randn(33, SHAPES);
        scores.get(4).storage().floats()[12_345] = Float.NaN;
        List<Tensor> before = Lists.copies(scores);
        for (Scope scope : Scope.values()) {
            FlatList list = FlatList.output("test", "scores", scores);
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> TopK.keepTop(list, scope, n -> n / 2, TopK.Rank.MAGNITUDE));
            assertTrue(e.getMessage().contains("element 12345 is NaN"), e.getMessage());
            Lists.assertSameBits(scope + ": nothing written", before, scores);
        }
    }
}
