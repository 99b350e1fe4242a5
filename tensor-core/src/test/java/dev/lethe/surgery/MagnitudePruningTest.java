package dev.lethe.surgery;

import dev.lethe.nn.BatchNorm1d;
import dev.lethe.nn.LayerNorm;
import dev.lethe.nn.Linear;
import dev.lethe.nn.Module;
import dev.lethe.nn.ReLU;
import dev.lethe.nn.Sequential;
import dev.lethe.optim.SGD;
import dev.lethe.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Magnitude pruning: exact sparsity (⌊s·n⌋ pruned, globally or per layer), only Linear/Conv
 * weights by default, IMP rounds on the remaining weights, rewinding that keeps the mask, and
 * masked training that keeps pruned weights at exactly 0.
 */
class MagnitudePruningTest {
    private static Module model() {
        return new Sequential(new Linear(13, 17, 1), new BatchNorm1d(17), new ReLU(), new Linear(17, 7, 2), new LayerNorm(7), new Linear(7, 3, false, 3));
    }

    private static long zeros(Tensor t) {
        return t.numel() - ParameterMasks.countOnes(t);
    }

    @Test
    void defaultSelectorTakesOnlyMatrixWeights() {
        Map<String, Tensor> w = MagnitudePruning.select(model(), MagnitudePruning.WEIGHTS);
        assertEquals(List.of("0.weight", "3.weight", "5.weight"), List.copyOf(w.keySet()));
    }

    @Test
    void globalPruningZeroesExactlyTheFloorOfSnSmallestMagnitudes() {
        Module m = model();
        Map<String, Tensor> before = m.stateDict();
        List<Tensor> weights = new ArrayList<>(MagnitudePruning.select(m, MagnitudePruning.WEIGHTS).values());
        List<Tensor> copies = Lists.copies(weights);
        long n = 13 * 17 + 17 * 7 + 7 * 3;
        ParameterMasks masks = MagnitudePruning.prune(m, 0.37, Scope.GLOBAL);
        assertEquals(n, masks.size());
        assertEquals(n - (long) (0.37 * n), masks.kept());
        Lists.assertSameBits("masks", SurgeryReference.topKMask(copies, n - (long) (0.37 * n), TopK.Rank.MAGNITUDE), masks.list());
        long zeroed = 0;
        for (Tensor w : weights) zeroed += zeros(w);
        assertEquals((long) (0.37 * n), zeroed);
        // Biases and norm parameters are untouched.
        Map<String, Tensor> after = m.stateDict();
        for (String k : List.of("0.bias", "1.weight", "1.bias", "3.bias", "4.weight", "4.bias")) {
            Lists.assertSameBits(k, List.of(before.get(k)), List.of(after.get(k)));
        }
    }

    @Test
    void perLayerPruningHitsEachLayersOwnSparsity() {
        Module m = model();
        ParameterMasks masks = MagnitudePruning.prune(m, 0.5, Scope.PER_TENSOR);
        for (ParameterMasks.LayerSparsity l : masks.layers()) {
            assertEquals(l.size() - l.size() / 2, l.kept(), l.name());
            assertEquals(l.size() / 2, zeros(m.namedParameters().get(l.name())), l.name());
        }
    }

    @Test
    void sparsityOutsideUnitIntervalIsRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> MagnitudePruning.prune(model(), 1.2, Scope.GLOBAL));
        assertTrue(e.getMessage().contains("fraction must be in [0, 1], got 1.2"), e.getMessage());
    }

    @Test
    void impRoundsPruneTheRemainingWeightsAndFollowTheSchedule() {
        Module m = model();
        ParameterMasks ones = ParameterMasks.of(List.of("0.weight", "3.weight", "5.weight"),
                List.of(Tensor.ones(17, 13), Tensor.ones(7, 17), Tensor.ones(3, 7)));
        Module twin = model();
        // A round on an all-ones mask is one-shot pruning.
        Lists.assertSameBits("round 1 = OMP", MagnitudePruning.prune(twin, 0.2, Scope.GLOBAL).list(),
                MagnitudePruning.pruneRemaining(m, ones, 0.2, Scope.GLOBAL).list());
        ParameterMasks current = ones;
        long remaining = current.size();
        for (int round = 1; round <= 5; round++) {
            ParameterMasks next = MagnitudePruning.pruneRemaining(m, current, 0.2, Scope.GLOBAL);
            remaining -= (long) (0.2 * remaining);
            assertEquals(remaining, next.kept(), "round " + round);
            assertEquals(MagnitudePruning.sparsityAfter(0.2, round), next.sparsity(), 5.0 * round / next.size(), "round " + round);
            // Pruned weights stay pruned.
            for (String k : next.names()) {
                float[] a = current.get(k).toFloatArray(), b = next.get(k).toFloatArray();
                for (int i = 0; i < a.length; i++) assertFalse(a[i] == 0 && b[i] == 1, k + " element " + i + " came back");
            }
            current = next;
        }
        assertEquals(1 - Math.pow(0.8, 5), MagnitudePruning.sparsityAfter(0.2, 5), 1e-15);
    }

    @Test
    void perTensorImpRoundsPruneEachLayersRemainingWeights() {
        Module m = model();
        ParameterMasks current = ParameterMasks.of(List.of("0.weight", "3.weight", "5.weight"),
                List.of(Tensor.ones(17, 13), Tensor.ones(7, 17), Tensor.ones(3, 7)));
        for (int round = 1; round <= 4; round++) {
            // Each layer keeps its largest |w| among the weights it kept before: the reference
            // top-k over |w| with the pruned entries scored −1.
            List<ParameterMasks.LayerSparsity> before = current.layers();
            List<Tensor> expected = new ArrayList<>();
            for (ParameterMasks.LayerSparsity l : before) {
                Tensor scores = Tensor.where(current.get(l.name()), m.namedParameters().get(l.name()).detach().abs(), Tensor.full(-1, l.shape()));
                expected.add(SurgeryReference.topKMask(List.of(scores), l.kept() - (long) (0.3 * l.kept()), TopK.Rank.VALUE).get(0));
            }
            ParameterMasks next = MagnitudePruning.pruneRemaining(m, current, 0.3, Scope.PER_TENSOR);
            Lists.assertSameBits("round " + round, expected, next.list());
            for (int t = 0; t < 3; t++) assertEquals(before.get(t).kept() - (long) (0.3 * before.get(t).kept()), next.layers().get(t).kept(), "round " + round + " layer " + t);
            current = next;
        }
    }

    @Test
    void rewindingRestoresEarlyWeightsAndKeepsTheMask() {
        Module m = model();
        Map<String, Tensor> early = m.stateDict();
        SGD opt = new SGD(m.parameters(), 0.1);
        m.forward(Tensor.randn(4, 8, 13)).square().sum().backward();
        opt.step();
        ParameterMasks masks = MagnitudePruning.prune(m, 0.6, Scope.GLOBAL);
        MagnitudePruning.rewind(m, early, masks);
        Map<String, Tensor> now = m.stateDict();
        for (Map.Entry<String, Tensor> e : early.entrySet()) {
            Tensor mask = masks.get(e.getKey());
            Tensor expected = mask == null ? e.getValue() : Tensor.where(mask, e.getValue(), Tensor.zeros(mask.shape()));
            Lists.assertSameBits(e.getKey(), List.of(expected), List.of(now.get(e.getKey())));
        }
        assertEquals(masks.size() - masks.kept(), zeros(now.get("0.weight")) + zeros(now.get("3.weight")) + zeros(now.get("5.weight")));
    }

    @Test
    void maskedTrainingKeepsPrunedWeightsAtZero() {
        Linear lin = new Linear(6, 4, 11);
        ParameterMasks masks = MagnitudePruning.prune(lin, 0.5, Scope.GLOBAL);
        SGD opt = new SGD(lin.parameters(), 0.05, 0.9, 0, false, 5e-4);
        masks.installOn(opt, lin);
        Tensor w = lin.namedParameters().get("weight");
        float[] start = w.toFloatArray();
        for (int step = 0; step < 5; step++) {
            opt.zeroGrad();
            lin.forward(Tensor.randn(20 + step, 16, 6)).sub(1).square().mean().backward();
            opt.step();
        }
        float[] mask = masks.get("weight").toFloatArray(), end = w.toFloatArray();
        int moved = 0;
        for (int i = 0; i < end.length; i++) {
            if (mask[i] == 0) assertEquals(0f, end[i], "pruned element " + i);
            else if (end[i] != start[i]) moved++;
        }
        assertEquals(12, moved, "every kept weight trains");
    }
}
