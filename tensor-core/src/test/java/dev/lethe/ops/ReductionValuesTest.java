package dev.lethe.ops;

import dev.lethe.tensor.DType;
import dev.lethe.tensor.Tensor;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

/** Values the op table's gradchecks do not pin down: variance conventions and logsumexp's stability. */
class ReductionValuesTest {

    @Test
    void varianceIsUnbiasedByDefault() {
        Tensor x = Tensor.fromArray(new double[] {1, 2, 3, 4}, 4);
        assertEquals(5.0 / 3.0, x.var().item(), 1e-12);
        assertEquals(1.25, x.var(new int[0], false, 0).item(), 1e-12);
        Tensor m = Tensor.fromArray(new float[] {1, 3, 2, 2}, 2, 2);
        assertArrayEquals(new float[] {2, 0}, m.var(new int[] {1}, false).toFloatArray(), 1e-6f);
    }

    @Test
    void varianceRefusesTooFewElements() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Tensor.zeros(1).var());
        assertTrue(e.getMessage().contains("var") && e.getMessage().contains("[1]"), e.getMessage());
    }

    @Test
    void logSumExpIsStableForLargeValues() {
        for (DType dtype : DType.values()) {
            Tensor x = Tensor.fromArray(new double[] {1000, 1000, -1000, 1000}, 2, 2).to(dtype);
            Tensor y = x.logSumExp(new int[] {1}, false);
            assertArrayEquals(new double[] {1000 + Math.log(2), 1000}, y.toDoubleArray(), 1e-3, dtype.toString());
        }
    }

    @Test
    void logSumExpGradientIsTheSoftmaxAtLargeValues() {
        Tensor x = Tensor.fromArray(new double[] {1000, 1001}, 2).requiresGrad(true);
        x.logSumExp(new int[0], false).backward();
        double p = 1 / (1 + Math.E);
        assertArrayEquals(new double[] {p, 1 - p}, x.grad().toDoubleArray(), 1e-12);
    }

    @Test
    void logSumExpOfAllMinusInfinityIsMinusInfinity() {
        Tensor x = Tensor.full(Double.NEGATIVE_INFINITY, DType.FLOAT64, 3);
        assertEquals(Double.NEGATIVE_INFINITY, x.logSumExp(new int[0], false).item());
    }
}
