package dev.lethe.surgery;

import dev.lethe.nn.Models;
import dev.lethe.nn.Module;
import dev.lethe.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/** Saliency masks keep exactly ⌊r·n⌋ entries, globally or per tensor, as PyTorch's int(r * n). */
class SaliencyMaskTest {
    @Test
    void keepCountIsTorchIntOfRTimesN() {
        assertEquals(117_573, SaliencyMask.keepCount(235_146, 0.5));
        assertEquals(0, SaliencyMask.keepCount(3, 0.3));
        assertEquals(2, SaliencyMask.keepCount(7, 0.3)); // 2.1
        assertEquals(7, SaliencyMask.keepCount(7, 1.0));
        assertEquals(0, SaliencyMask.keepCount(7, 0.0));
        assertEquals(28, SaliencyMask.keepCount(100, 0.29)); // 0.29·100 = 28.999999999999996 in float64: Python says 28 too
    }

    @Test
    void fractionOutsideUnitIntervalIsRefused() {
        List<Tensor> g = Lists.randn(1, new int[] {5});
        for (double r : new double[] {-0.1, 1.5, Double.NaN}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> SaliencyMask.fromGradients(g, r, Scope.GLOBAL));
            assertTrue(e.getMessage().contains("fraction must be in [0, 1], got " + r), e.getMessage());
        }
    }

    @Test
    void globalKeepsExactlyFloorRnAcrossTensors() {
        List<Tensor> g = Lists.randn(2, Lists.ODD_SHAPES);
        long n = 0;
        for (Tensor t : g) n += t.numel();
        for (double r : new double[] {0, 0.1, 0.5, 0.77, 1}) {
            List<Tensor> m = SaliencyMask.fromGradients(g, r, Scope.GLOBAL);
            assertEquals((long) (r * n), Lists.ones(m), "r=" + r);
            Lists.assertSameBits("r=" + r, SurgeryReference.topKMask(g, (long) (r * n), TopK.Rank.MAGNITUDE), m);
        }
    }

    @Test
    void perTensorKeepsFloorRnInEachTensor() {
        List<Tensor> g = Lists.randn(3, Lists.ODD_SHAPES);
        List<Tensor> m = SaliencyMask.fromGradients(g, 0.6, Scope.PER_TENSOR);
        double[] kept = SaliencyMask.keptFractions(m);
        for (int t = 0; t < g.size(); t++) {
            long n = g.get(t).numel();
            assertEquals((long) (0.6 * n), ParameterMasks.countOnes(m.get(t)), "tensor " + t);
            assertEquals(n == 0 ? 0 : (long) (0.6 * n) / (double) n, kept[t], 1e-15);
            Lists.assertSameBits("tensor " + t, SurgeryReference.topKMask(List.of(g.get(t)), (long) (0.6 * n), TopK.Rank.MAGNITUDE), List.of(m.get(t)));
        }
    }

    @Test
    void perTensorNanNamesTheTensorInTheWholeList() {
        List<Tensor> g = Lists.of(new float[] {1, 2}, new float[] {3, Float.NaN, 4});
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> SaliencyMask.fromGradients(g, 0.5, Scope.PER_TENSOR));
        assertTrue(e.getMessage().contains("tensor 1 element 1 is NaN"), e.getMessage());
    }

    @Test
    void gradientsRankByMagnitudeScoresByValue() {
        List<Tensor> g = Lists.of(new float[] {-5, 1, 2, -0.5f});
        Lists.assertSameBits("|g|", Lists.of(new float[] {1, 0, 1, 0}), SaliencyMask.fromGradients(g, 0.5, Scope.GLOBAL));
        Lists.assertSameBits("g", Lists.of(new float[] {0, 1, 1, 0}), SaliencyMask.fromScores(g, 0.5, Scope.GLOBAL));
        Lists.assertSameBits("abs scores", SaliencyMask.fromGradients(g, 0.5, Scope.GLOBAL),
                SaliencyMask.fromScores(SaliencyMask.absScores(g), 0.5, Scope.GLOBAL));
    }

    @Test
    void forModelMasksEveryParameterFromItsGradient() {
        Module mlp = Models.mlp(1);
        Tensor x = Tensor.randn(2, 8, 784);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> SaliencyMask.forModel(mlp, 0.5, Scope.GLOBAL));
        assertTrue(e.getMessage().contains("parameter '1.weight' has no gradient"), e.getMessage());
        mlp.forward(x).crossEntropy(0, 1, 2, 3, 4, 5, 6, 7).neg().backward();
        ParameterMasks m = SaliencyMask.forModel(mlp, 0.5, Scope.GLOBAL);
        assertEquals(List.copyOf(mlp.namedParameters().keySet()), m.names());
        assertEquals(235_146, m.size());
        assertEquals(117_573, m.kept());
    }
}
