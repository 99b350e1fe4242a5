package dev.lethe.surgery;

import dev.lethe.cpu.Parallel;
import dev.lethe.surgery.GradientSurgery.Dots;
import dev.lethe.tensor.Tensor;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Gradient surgery: the fused dots against a float64 loop, the projection against a float64
 * hand computation, g_u'·g_r = 0 after projecting a conflict, no projection without conflict
 * or with a zero vector, non-finite gradients refused, and the same bits on 1 and 2 threads.
 */
@Tag("kernels")
class GradientSurgeryTest {
    private static void assertDotsClose(Dots expected, Dots actual) {
        assertEquals(expected.dot(), actual.dot(), 1e-12 * Math.sqrt(expected.unlearnNormSq() * expected.retainNormSq()));
        assertEquals(expected.unlearnNormSq(), actual.unlearnNormSq(), 1e-12 * expected.unlearnNormSq());
        assertEquals(expected.retainNormSq(), actual.retainNormSq(), 1e-12 * expected.retainNormSq());
    }

    @Test
    void dotsMatchAFloat64LoopOnOddSizes() {
        for (int n : new int[] {1, 3, 17, 1000, 1_000_003}) {
            List<Tensor> u = Lists.randn(n, new int[] {n}), r = Lists.randn(n + 1, new int[] {n});
            assertDotsClose(SurgeryReference.dots(u, r), GradientSurgery.dots(u, r));
        }
        List<Tensor> u = Lists.randn(1, Lists.ODD_SHAPES), r = Lists.randn(2, Lists.ODD_SHAPES);
        assertDotsClose(SurgeryReference.dots(u, r), GradientSurgery.dots(u, r));
    }

    @Test
    void combineMatchesReferenceBitForBit() {
        List<Tensor> u = Lists.randn(3, Lists.ODD_SHAPES), r = Lists.randn(4, Lists.ODD_SHAPES);
        List<Tensor> out = Lists.zerosLike(u);
        Dots d = GradientSurgery.combine(u, r, 1.5, out);
        Lists.assertSameBits("combine", SurgeryReference.combine(u, r, d, 1.5), out);
    }

    @Test
    void projectionMatchesAFloat64HandComputation() {
        float[] u = {3, -1, 2, 0.5f, -4}, r = {-2, 1, -1, 3, 1};
        double ur = 0, uu = 0, rr = 0;
        for (int i = 0; i < u.length; i++) {
            ur += u[i] * (double) r[i];
            uu += u[i] * (double) u[i];
            rr += r[i] * (double) r[i];
        }
        assertTrue(ur < 0, "the example must conflict");
        double alpha = 1.5;
        List<Tensor> out = Lists.of(new float[5]);
        Dots d = GradientSurgery.combine(Lists.of(u), Lists.of(r), alpha, out);
        assertEquals(ur, d.dot());
        assertTrue(d.conflicting());
        float[] got = out.get(0).toFloatArray();
        for (int i = 0; i < u.length; i++) {
            double uProj = u[i] - ur / rr * r[i], rProj = r[i] - ur / uu * u[i];
            assertEquals(uProj + alpha * rProj, got[i], 1e-5, "element " + i);
        }
    }

    @Test
    void afterProjectionTheUnlearnDirectionIsOrthogonalToRetain() {
        List<Tensor> u = Lists.randn(5, Lists.ODD_SHAPES), r = Lists.randn(6, Lists.ODD_SHAPES);
        // Make them conflict: u ← u − 2·(u·r/r·r)·r flips u's component along r.
        Dots d0 = GradientSurgery.dots(u, r);
        if (d0.dot() >= 0) {
            for (int t = 0; t < u.size(); t++) u.set(t, u.get(t).sub(r.get(t).mul(2 * d0.dot() / d0.retainNormSq() + 0.5)));
        }
        assertTrue(GradientSurgery.dots(u, r).conflicting());
        // With α = 0, d = g_u' exactly: it must be orthogonal to g_r.
        List<Tensor> uProj = Lists.zerosLike(u);
        GradientSurgery.combine(u, r, 0, uProj);
        assertEquals(0, GradientSurgery.dots(uProj, r).cosine(), 1e-6);
        // g_r' = g_r + (a(1) − 1)·g_u, with a(α) = 1 − α·(g_u·g_r)/‖g_u‖²: orthogonal to g_u.
        double c = GradientSurgery.dots(u, r).unlearnCoefficient(1) - 1;
        List<Tensor> rProj = Lists.zerosLike(r);
        for (int t = 0; t < r.size(); t++) rProj.set(t, r.get(t).add(u.get(t).mul(c)));
        assertEquals(0, GradientSurgery.dots(rProj, u).cosine(), 1e-6);
    }

    @Test
    void noConflictOrAZeroVectorMeansNoProjection() {
        List<Tensor> u = Lists.of(new float[] {1, 2, 3}), r = Lists.of(new float[] {1, 0, 1});
        List<Tensor> out = Lists.of(new float[3]);
        Dots d = GradientSurgery.combine(u, r, 1.5, out);
        assertFalse(d.conflicting());
        Lists.assertSameBits("u + 1.5 r", Lists.of(new float[] {2.5f, 2, 4.5f}), out);
        d = GradientSurgery.combine(Lists.of(new float[3]), r, 2, out);
        assertEquals(new Dots(0, 0, 2), d);
        Lists.assertSameBits("0 + 2 r", Lists.of(new float[] {2, 0, 2}), out);
        assertEquals(0, d.cosine());
    }

    @Test
    void perTensorVariantDecidesEachTensorAlone() {
        List<Tensor> u = Lists.of(new float[] {1, 1}, new float[] {1, 0}), r = Lists.of(new float[] {-1, 0}, new float[] {1, 1});
        List<Tensor> out = Lists.zerosLike(u);
        List<Dots> dots = GradientSurgery.combinePerTensor(u, r, 1, out);
        assertTrue(dots.get(0).conflicting());
        assertFalse(dots.get(1).conflicting());
        // Tensor 0: u' = u − (−1/1)·r = (0, 1); r' = r − (−1/2)·u = (−0.5, 0.5); d = (−0.5, 1.5). Tensor 1: u + r.
        Lists.assertSameBits("per tensor", Lists.of(new float[] {-0.5f, 1.5f}, new float[] {2, 1}), out);
        // Globally the two tensors' dots sum to 0: no conflict, d = u + r everywhere.
        GradientSurgery.combine(u, r, 1, out);
        Lists.assertSameBits("global", Lists.of(new float[] {0, 1}, new float[] {2, 1}), out);
    }

    @Test
    void outputMayAliasAnInputAndGradientsOfSetsGrads() {
        List<Tensor> u = Lists.randn(7, Lists.ODD_SHAPES), r = Lists.randn(8, Lists.ODD_SHAPES);
        List<Tensor> expected = Lists.zerosLike(u);
        GradientSurgery.combine(u, r, 1.5, expected);
        List<Tensor> params = Lists.zerosLike(u);
        List<Tensor> grads = GradientSurgery.gradientsOf(params);
        GradientSurgery.combine(u, r, 1.5, grads);
        for (int t = 0; t < params.size(); t++) assertSame(grads.get(t), params.get(t).grad());
        Lists.assertSameBits("into grads", expected, grads);
        GradientSurgery.combine(u, r, 1.5, u);
        Lists.assertSameBits("in place", expected, u);
    }

    @Test
    void nonFiniteGradientsAndMismatchesAreRefusedBeforeWriting() {
        List<Tensor> out = Lists.of(new float[] {7, 7}, new float[] {7});
        for (float bad : new float[] {Float.NaN, Float.POSITIVE_INFINITY}) {
            List<Tensor> u = Lists.of(new float[] {1, 2}, new float[] {3}), r = Lists.of(new float[] {1, 2}, new float[] {bad});
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> GradientSurgery.combine(u, r, 1.5, out));
            assertTrue(e.getMessage().contains("g_r tensor 1 element 0 is " + bad), e.getMessage());
        }
        Lists.assertSameBits("untouched", Lists.of(new float[] {7, 7}, new float[] {7}), out);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> GradientSurgery.dots(List.of(Tensor.zeros(3, 4)), List.of(Tensor.zeros(4, 3))));
        assertTrue(e.getMessage().contains("tensor 0 shapes differ, g_u is [3, 4], g_r is [4, 3]"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> GradientSurgery.dots(List.of(Tensor.zeros(3)), List.of()));
        assertTrue(e.getMessage().contains("g_u has 1 tensors but g_r has 0"), e.getMessage());
    }

    @Test
    void sameBitsOnOneAndTwoThreads() {
        int saved = Parallel.threads();
        try {
            List<Tensor> u = Lists.randn(9, new int[] {500_001}, new int[] {3}, new int[] {300_007});
            List<Tensor> r = Lists.randn(10, new int[] {500_001}, new int[] {3}, new int[] {300_007});
            Parallel.setThreads(1);
            List<Tensor> one = Lists.zerosLike(u);
            Dots d1 = GradientSurgery.combine(u, r, 1.5, one);
            Parallel.setThreads(2);
            List<Tensor> two = Lists.zerosLike(u);
            Dots d2 = GradientSurgery.combine(u, r, 1.5, two);
            assertEquals(d1, d2);
            Lists.assertSameBits("threads", one, two);
        } finally {
            Parallel.setThreads(saved);
        }
    }
}
