package dev.lethe.ops;

import dev.lethe.tensor.DType;
import dev.lethe.tensor.Tensor;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

/** Comparisons: 0/1 values in the operands' dtype, broadcasting, no gradient, strict dtypes. */
class CompareTest {
    private static final Tensor A = Tensor.fromArray(new float[] {1, 2, 3, 4}, 4);
    private static final Tensor B = Tensor.fromArray(new float[] {4, 2, 1, 4}, 4);

    @Test
    void eachComparisonAgainstATensor() {
        assertArrayEquals(new float[] {0, 0, 1, 0}, A.gt(B).toFloatArray());
        assertArrayEquals(new float[] {0, 1, 1, 1}, A.ge(B).toFloatArray());
        assertArrayEquals(new float[] {1, 0, 0, 0}, A.lt(B).toFloatArray());
        assertArrayEquals(new float[] {1, 1, 0, 1}, A.le(B).toFloatArray());
        assertArrayEquals(new float[] {0, 1, 0, 1}, A.eq(B).toFloatArray());
        assertArrayEquals(new float[] {1, 0, 1, 0}, A.ne(B).toFloatArray());
    }

    @Test
    void eachComparisonAgainstAScalar() {
        assertArrayEquals(new float[] {0, 0, 1, 1}, A.gt(2).toFloatArray());
        assertArrayEquals(new float[] {0, 1, 1, 1}, A.ge(2).toFloatArray());
        assertArrayEquals(new float[] {1, 0, 0, 0}, A.lt(2).toFloatArray());
        assertArrayEquals(new float[] {1, 1, 0, 0}, A.le(2).toFloatArray());
        assertArrayEquals(new float[] {0, 1, 0, 0}, A.eq(2).toFloatArray());
        assertArrayEquals(new float[] {1, 0, 1, 1}, A.ne(2).toFloatArray());
    }

    @Test
    void broadcastsAndKeepsTheDtype() {
        Tensor col = Tensor.fromArray(new double[] {1, 3}, 2, 1);
        Tensor row = Tensor.fromArray(new double[] {0, 2, 4}, 3);
        Tensor r = col.lt(row);
        assertEquals(DType.FLOAT64, r.dtype());
        assertArrayEquals(new int[] {2, 3}, r.shape());
        assertArrayEquals(new double[] {0, 1, 1, 0, 0, 1}, r.toDoubleArray());
    }

    @Test
    void stridedViewsCompareByValue() {
        Tensor m = Tensor.fromArray(new float[] {1, 2, 3, 4, 5, 6}, 2, 3);
        // mᵀ = [[1, 4], [2, 5], [3, 6]]
        assertArrayEquals(new float[] {0, 1, 0, 1, 0, 1}, m.t().gt(3.5).toFloatArray());
    }

    @Test
    void neverRequiresGrad() {
        Tensor x = Tensor.randn(1, DType.FLOAT64, 5).requiresGrad(true);
        Tensor y = x.mul(2.0);
        for (Tensor r : new Tensor[] {x.gt(0.0), y.le(x), x.eq(y), y.ne(1.0)}) {
            assertFalse(r.requiresGrad());
            assertTrue(r.isLeaf());
        }
    }

    @Test
    void refusesMixedDtypesAndShapesThatDoNotBroadcast() {
        IllegalArgumentException dtypes = assertThrows(IllegalArgumentException.class,
                () -> A.ge(Tensor.zeros(DType.FLOAT64, 4)));
        assertTrue(dtypes.getMessage().contains("ge") && dtypes.getMessage().contains("float64"), dtypes.getMessage());
        IllegalArgumentException shapes = assertThrows(IllegalArgumentException.class, () -> A.eq(Tensor.zeros(3)));
        assertTrue(shapes.getMessage().contains("eq") && shapes.getMessage().contains("[4]") && shapes.getMessage().contains("[3]"),
                shapes.getMessage());
    }
}
