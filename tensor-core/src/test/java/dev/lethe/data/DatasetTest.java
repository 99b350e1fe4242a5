package dev.lethe.data;

import dev.lethe.tensor.DType;
import dev.lethe.tensor.Tensor;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

/** Dataset: selection by index and class, concatenation, reshaping, normalisation. */
class DatasetTest {
    /** Item i has inputs [i, 10 + i] and label i % 3. */
    static Dataset numbered(int n) {
        float[] x = new float[2 * n];
        int[] y = new int[n];
        for (int i = 0; i < n; i++) {
            x[2 * i] = i;
            x[2 * i + 1] = 10 + i;
            y[i] = i % 3;
        }
        return new Dataset(Tensor.fromArray(x, n, 2), y);
    }

    @Test
    void subsetCopiesTheChosenRowsInOrder() {
        Dataset d = numbered(6).subset(new int[] {4, 0, 4});
        assertEquals(3, d.size());
        assertArrayEquals(new float[] {4, 14, 0, 10, 4, 14}, d.inputs().toFloatArray());
        assertArrayEquals(new int[] {1, 0, 1}, d.labels());
        assertArrayEquals(new int[] {2}, d.itemShape());
        var e = assertThrows(IndexOutOfBoundsException.class, () -> numbered(6).subset(new int[] {1, 6}));
        assertEquals("gather rows: index 6 at position 1 is outside [0, 6)", e.getMessage());
    }

    @Test
    void classSelection() {
        Dataset d = numbered(7); // labels 0 1 2 0 1 2 0
        assertArrayEquals(new int[] {0, 3, 6}, d.classIndices(0));
        assertArrayEquals(new int[] {}, d.classIndices(5));
        Dataset rest = d.withoutClass(0);
        assertArrayEquals(new int[] {1, 2, 1, 2}, rest.labels());
        assertArrayEquals(new float[] {1, 11, 2, 12, 4, 14, 5, 15}, rest.inputs().toFloatArray());
        assertEquals(3, d.numClasses());
        assertArrayEquals(new int[] {3, 2, 2, 0}, d.classCounts(4));
    }

    @Test
    void concatJoinsInOrderAndChecksItemShapes() {
        Dataset a = numbered(2), b = numbered(3).subset(new int[] {2});
        Dataset c = Dataset.concat(a, b);
        assertArrayEquals(new float[] {0, 10, 1, 11, 2, 12}, c.inputs().toFloatArray());
        assertArrayEquals(new int[] {0, 1, 2}, c.labels());
        Dataset wide = new Dataset(Tensor.zeros(1, 3), new int[] {0});
        var e = assertThrows(IllegalArgumentException.class, () -> Dataset.concat(a, wide));
        assertEquals("concat: part 1 has items [3] float32, part 0 has [2] float32", e.getMessage());
    }

    @Test
    void stridedInputsAreMadeContiguousAndGradIsDropped() {
        Tensor x = Tensor.fromArray(new float[] {1, 2, 3, 4, 5, 6}, 2, 3).t().requiresGrad(true); // [3, 2] view
        Dataset d = new Dataset(x, new int[] {0, 1, 2});
        assertTrue(d.inputs().isContiguous());
        assertFalse(d.inputs().requiresGrad());
        assertArrayEquals(new float[] {3, 6}, d.subset(new int[] {2}).inputs().toFloatArray());
    }

    @Test
    void withItemShapeReshapesEveryItem() {
        Dataset d = new Dataset(Tensor.arange(24).reshape(2, 1, 3, 4), new int[] {0, 1}).withItemShape(-1);
        assertArrayEquals(new int[] {2, 12}, d.inputs().shape());
    }

    @Test
    void constructorRejectsMismatchedCountsAndNegativeLabels() {
        var e = assertThrows(IllegalArgumentException.class, () -> new Dataset(Tensor.zeros(3, 2), new int[] {0, 1}));
        assertEquals("dataset: inputs [3, 2] hold 3 items but there are 2 labels", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new Dataset(Tensor.zeros(2, 2), new int[] {0, -1}));
        assertEquals("dataset: label 1 is negative (-1)", e.getMessage());
    }

    @Test
    void firstPerClassKeepsTheOriginalOrder() {
        int[] labels = {2, 0, 2, 1, 0, 2, 1, 0, 1};
        assertArrayEquals(new int[] {0, 1, 2, 3, 4, 6}, Dataset.firstPerClass(labels, 2));
        var e = assertThrows(IllegalArgumentException.class, () -> Dataset.firstPerClass(labels, 4));
        assertEquals("firstPerClass: class 0 has 3 items, fewer than 4", e.getMessage());
    }

    @Test
    void normalizationFitsMeanAndPopulationStd() {
        Dataset d = new Dataset(Tensor.fromArray(new double[] {1, 3, 5, 7}, 2, 2), new int[] {0, 1});
        Normalization n = Normalization.fit(d);
        assertEquals(4.0, n.mean());
        assertEquals(Math.sqrt(5.0), n.std(), 1e-15);
        Dataset z = n.apply(d);
        assertEquals(DType.FLOAT64, z.inputs().dtype());
        assertEquals(0.0, Normalization.fit(z).mean(), 1e-12);
        assertEquals(1.0, Normalization.fit(z).std(), 1e-12);
        var e = assertThrows(IllegalArgumentException.class, () -> Normalization.fit(new Dataset(Tensor.ones(2, 2), new int[] {0, 0})));
        assertEquals("normalization: need finite mean and std > 0, got mean 1.0, std 0.0", e.getMessage());
    }
}
