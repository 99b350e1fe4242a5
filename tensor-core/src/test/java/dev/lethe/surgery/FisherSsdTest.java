package dev.lethe.surgery;

import dev.lethe.cpu.Parallel;
import dev.lethe.tensor.Tensor;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/** The Fisher diagonal accumulator and SSD's select-and-dampen pass against the scalar reference. */
@Tag("kernels")
class FisherSsdTest {
    private static List<List<Tensor>> batches(int count, int[]... shapes) {
        List<List<Tensor>> out = new ArrayList<>();
        for (int b = 0; b < count; b++) out.add(Lists.randn(100 + b, shapes));
        return out;
    }

    @Test
    void fisherMatchesReferenceBitForBit() {
        for (FisherDiagonal.Mode mode : FisherDiagonal.Mode.values()) {
            List<List<Tensor>> bs = batches(3, Lists.ODD_SHAPES);
            FisherDiagonal f = new FisherDiagonal(bs.get(0), mode);
            for (List<Tensor> b : bs) f.accumulate(b);
            assertEquals(3, f.batches());
            Lists.assertSameBits(mode.name(), SurgeryReference.fisher(bs, mode), f.importance());
        }
        List<List<Tensor>> big = batches(2, new int[] {1_000_003});
        FisherDiagonal f = new FisherDiagonal(big.get(0));
        for (List<Tensor> b : big) f.accumulate(b);
        Lists.assertSameBits("1e6", SurgeryReference.fisher(big, FisherDiagonal.Mode.SQUARED), f.importance());
    }

    @Test
    void fisherIsTheMeanOfSquares() {
        FisherDiagonal f = new FisherDiagonal(List.of(Tensor.zeros(3)));
        f.accumulate(Lists.of(new float[] {1, -2, 3}));
        f.accumulate(Lists.of(new float[] {3, 0, -1}));
        Lists.assertSameBits("mean g²", Lists.of(new float[] {5, 2, 5}), f.importance());
        FisherDiagonal a = new FisherDiagonal(List.of(Tensor.zeros(3)), FisherDiagonal.Mode.ABSOLUTE);
        a.accumulate(Lists.of(new float[] {1, -2, 3}));
        a.accumulate(Lists.of(new float[] {3, 0, -1}));
        Lists.assertSameBits("mean |g|", Lists.of(new float[] {2, 1, 2}), a.importance());
    }

    @Test
    void aNanGradientIsNamedAndPoisonsTheAccumulator() {
        FisherDiagonal f = new FisherDiagonal(List.of(Tensor.zeros(2), Tensor.zeros(3)));
        assertThrows(IllegalStateException.class, f::importance);
        f.accumulate(Lists.of(new float[] {1, 2}, new float[] {1, 2, 3}));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> f.accumulate(Lists.of(new float[] {1, 2}, new float[] {1, Float.NaN, 3})));
        assertTrue(e.getMessage().contains("batch 1 gradient tensor 1 element 1 is NaN"), e.getMessage());
        IllegalStateException s = assertThrows(IllegalStateException.class, f::importance);
        assertTrue(s.getMessage().contains("unusable"), s.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new FisherDiagonal(List.of(Tensor.zeros(2))).accumulate(List.of(Tensor.zeros(3))));
        assertTrue(e.getMessage().contains("tensor 0 shapes differ, parameters is [2], gradients is [3]"), e.getMessage());
    }

    @Test
    void ssdDampensExactlyTheSelectedEntries() {
        // I_f > 10·I_D selects entries 1, 2 and 4; factor min(I_D/I_f, 1).
        List<Tensor> theta = Lists.of(new float[] {2, 2, 2, 2, 2});
        List<Tensor> forget = Lists.of(new float[] {1, 11, 40, 10, 5});
        List<Tensor> full = Lists.of(new float[] {1, 1, 2, 1, 0});
        long n = SelectiveSynapticDampening.dampen(theta, forget, full);
        assertEquals(3, n);
        Lists.assertSameBits("SSD", Lists.of(new float[] {2, 2 * (1f / 11), 2 * (2f / 40), 2, 0}), theta);
        // λ large: the factor is capped at 1 (selected but unchanged).
        List<Tensor> t2 = Lists.of(new float[] {3, 3});
        assertEquals(1, SelectiveSynapticDampening.dampen(t2, Lists.of(new float[] {100, 1}), Lists.of(new float[] {1, 1}), 10, 1000));
        Lists.assertSameBits("capped", Lists.of(new float[] {3, 3}), t2);
    }

    @Test
    void ssdMatchesReferenceBitForBit() {
        for (int[][] shapes : new int[][][] {Lists.ODD_SHAPES, {{1_000_003}}}) {
            List<Tensor> theta = Lists.randn(1, shapes);
            List<Tensor> forget = new ArrayList<>(), full = new ArrayList<>();
            for (Tensor t : Lists.randn(2, shapes)) forget.add(t.square().mul(20));
            for (Tensor t : Lists.randn(3, shapes)) full.add(t.square());
            long[] count = new long[1];
            List<Tensor> expected = SurgeryReference.dampen(theta, forget, full, 10, 1, count);
            long n = SelectiveSynapticDampening.dampen(theta, forget, full, 10, 1);
            assertEquals(count[0], n);
            assertTrue(n > 0);
            Lists.assertSameBits("SSD", expected, theta);
        }
    }

    @Test
    void ssdRefusesNanImportanceWithoutTouchingParameters() {
        List<Tensor> theta = Lists.of(new float[] {2, 2});
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> SelectiveSynapticDampening.dampen(theta, Lists.of(new float[] {100, 1}), Lists.of(new float[] {1, Float.NaN})));
        assertTrue(e.getMessage().contains("full importance tensor 0 element 1 is NaN"), e.getMessage());
        Lists.assertSameBits("untouched", Lists.of(new float[] {2, 2}), theta);
        e = assertThrows(IllegalArgumentException.class, () -> SelectiveSynapticDampening.dampen(theta, theta, theta, -1, 1));
        assertTrue(e.getMessage().contains("α = -1.0"), e.getMessage());
    }

    @Test
    void sameBitsOnOneAndTwoThreads() {
        int saved = Parallel.threads();
        try {
            List<List<Tensor>> bs = batches(2, new int[] {400_001}, new int[] {250_003});
            List<Tensor> results = new ArrayList<>();
            for (int threads : new int[] {1, 2}) {
                Parallel.setThreads(threads);
                FisherDiagonal f = new FisherDiagonal(bs.get(0));
                for (List<Tensor> b : bs) f.accumulate(b);
                results.addAll(f.importance());
            }
            Lists.assertSameBits("threads", results.subList(0, 2), results.subList(2, 4));
        } finally {
            Parallel.setThreads(saved);
        }
    }
}
