package dev.lethe.ops;

import dev.lethe.tensor.DType;
import dev.lethe.tensor.Tensor;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

/** argmax / argmin: first index on ties, indices in x's dtype, shapes with and without keepDim, no gradient. */
class ArgReduceTest {
    // [[3, 1, 3], [0, 5, 5]]
    private static final Tensor X = Tensor.fromArray(new float[] {3, 1, 3, 0, 5, 5}, 2, 3);

    @Test
    void alongEachDimWithFirstIndexOnTies() {
        assertArrayEquals(new float[] {0, 1}, X.argmax(1, false).toFloatArray());
        assertArrayEquals(new float[] {1, 0}, X.argmin(1, false).toFloatArray());
        assertArrayEquals(new float[] {0, 1, 1}, X.argmax(0, false).toFloatArray());
        assertArrayEquals(new float[] {1, 0, 0}, X.argmin(-2, false).toFloatArray());
    }

    @Test
    void keepDimKeepsASizeOneDim() {
        assertArrayEquals(new int[] {2, 1}, X.argmax(1, true).shape());
        assertArrayEquals(new int[] {2}, X.argmax(1, false).shape());
        assertArrayEquals(new int[] {1, 3}, X.argmin(0, true).shape());
    }

    @Test
    void overAllElementsInRowMajorOrder() {
        assertEquals(4.0, X.argmax().item());
        assertEquals(0, X.argmax().dim());
        assertEquals(3.0, X.argmin().item());
        assertEquals(0.0, Tensor.scalar(7).argmax().item());
    }

    @Test
    void stridedInputAndDtype() {
        Tensor xt = X.to(DType.FLOAT64).t(); // [[3, 0], [1, 5], [3, 5]]
        Tensor r = xt.argmax(0, false);
        assertEquals(DType.FLOAT64, r.dtype());
        assertArrayEquals(new double[] {0, 1}, r.toDoubleArray());
    }

    @Test
    void neverRequiresGrad() {
        Tensor x = Tensor.randn(3, DType.FLOAT64, 4, 5).requiresGrad(true);
        assertFalse(x.argmax(1, false).requiresGrad());
        assertFalse(x.mul(2.0).argmin().requiresGrad());
    }

    @Test
    void refusesBadDimsAndEmptyDims() {
        IllegalArgumentException dim = assertThrows(IllegalArgumentException.class, () -> X.argmax(2, false));
        assertTrue(dim.getMessage().contains("argmax") && dim.getMessage().contains("[2, 3]"), dim.getMessage());
        IllegalArgumentException empty = assertThrows(IllegalArgumentException.class, () -> Tensor.zeros(2, 0).argmin(1, false));
        assertTrue(empty.getMessage().contains("argmin") && empty.getMessage().contains("[2, 0]"), empty.getMessage());
    }
}
