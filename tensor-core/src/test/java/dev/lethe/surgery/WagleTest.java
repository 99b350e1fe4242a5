package dev.lethe.surgery;

import dev.lethe.tensor.Tensor;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/** WAGLE's score s = |(θ − g_r/μ)·g_f| against the scalar reference and by hand. */
@Tag("kernels")
class WagleTest {
    @Test
    void scoreByHand() {
        List<Tensor> s = Wagle.scores(Lists.of(new float[] {1, -2}), Lists.of(new float[] {0.002f, 0}), Lists.of(new float[] {3, 0.5f}));
        // (1 − 0.002/0.001)·3 = −3 → 3; (−2 − 0)·0.5 = −1 → 1.
        assertEquals(3f, s.get(0).toFloatArray()[0], 1e-5);
        assertEquals(1f, s.get(0).toFloatArray()[1]);
    }

    @Test
    void matchesReferenceBitForBit() {
        for (int[][] shapes : new int[][][] {Lists.ODD_SHAPES, {{1000}}}) {
            List<Tensor> th = Lists.randn(1, shapes), gr = Lists.randn(2, shapes), gf = Lists.randn(3, shapes);
            Lists.assertSameBits("wagle", SurgeryReference.wagle(th, gr, gf, 1e-3), Wagle.scores(th, gr, gf, 1e-3));
            Lists.assertSameBits("wagle μ=0.3", SurgeryReference.wagle(th, gr, gf, 0.3), Wagle.scores(th, gr, gf, 0.3));
        }
    }

    @Test
    void forModelMasksTheTopFractionOfTheScores() {
        dev.lethe.nn.Linear lin = new dev.lethe.nn.Linear(5, 3, 1);
        List<Tensor> gr = Lists.randn(2, new int[] {3, 5}, new int[] {3}), gf = Lists.randn(3, new int[] {3, 5}, new int[] {3});
        ParameterMasks m = Wagle.forModel(lin, gr, gf, 1e-3, 0.25, Scope.GLOBAL);
        assertEquals(List.of("weight", "bias"), m.names());
        assertEquals(4, m.kept());
        Lists.assertSameBits("mask", SurgeryReference.topKMask(Wagle.scores(lin.parameters(), gr, gf, 1e-3), 4, TopK.Rank.VALUE), m.list());
    }

    @Test
    void nanScoresAndBadMuAreRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Wagle.scores(
                Lists.of(new float[] {1}, new float[] {Float.POSITIVE_INFINITY}), Lists.of(new float[] {1}, new float[] {0}), Lists.of(new float[] {1}, new float[] {0})));
        assertTrue(e.getMessage().contains("score tensor 1 element 0 is NaN"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Wagle.scores(List.of(Tensor.ones(1)), List.of(Tensor.ones(1)), List.of(Tensor.ones(1)), 0));
        assertTrue(e.getMessage().contains("μ must be finite and > 0, got 0.0"), e.getMessage());
    }
}
