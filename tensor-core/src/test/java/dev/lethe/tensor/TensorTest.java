package dev.lethe.tensor;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

/** Tensor factories, views and their storage sharing, element access, text and errors. */
class TensorTest {

    private static void assertMessage(RuntimeException e, String... fragments) {
        for (String f : fragments) assertTrue(e.getMessage().contains(f), "message \"" + e.getMessage() + "\" should name " + f);
    }

    // ------------------------------------------------------------------ factories

    @Test
    void arange() {
        assertArrayEquals(new float[] {0, 1, 2, 3, 4}, Tensor.arange(5).toFloatArray());
        assertArrayEquals(new double[] {1, 1.5, 2, 2.5}, Tensor.arange(1, 3, 0.5, DType.FLOAT64).toDoubleArray());
        assertArrayEquals(new double[] {3, 1}, Tensor.arange(3, 0, -2, DType.FLOAT64).toDoubleArray(), "negative step, end excluded");
        assertEquals(0, Tensor.arange(2, 1, 1, DType.FLOAT32).numel(), "empty when end is behind start");
        assertMessage(assertThrows(IllegalArgumentException.class, () -> Tensor.arange(0, 1, 0, DType.FLOAT32)), "step 0.0");
    }

    @Test
    void eyeAndFull() {
        Tensor e = Tensor.eye(3, DType.FLOAT64);
        assertArrayEquals(new int[] {3, 3}, e.shape());
        assertArrayEquals(new double[] {1, 0, 0, 0, 1, 0, 0, 0, 1}, e.toDoubleArray());
        Tensor f = Tensor.full(-2.5, 2, 3);
        assertEquals(DType.FLOAT32, f.dtype());
        assertArrayEquals(new float[] {-2.5f, -2.5f, -2.5f, -2.5f, -2.5f, -2.5f}, f.toFloatArray());
        assertEquals(7.0, Tensor.scalar(7).item());
        assertEquals(0, Tensor.scalar(7).dim());
    }

    @Test
    void fromArrayCopiesAndRejectsAWrongLength() {
        float[] data = {1, 2, 3, 4, 5, 6};
        Tensor t = Tensor.fromArray(data, 2, 3);
        data[0] = 99;
        assertEquals(1.0, t.get(0, 0), "fromArray copies its input");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Tensor.fromArray(new float[5], 2, 3));
        assertMessage(e, "5 values", "[2, 3]", "6 elements");
        assertMessage(assertThrows(IllegalArgumentException.class, () -> Tensor.fromArray(new double[7], 2, 3)), "7 values", "[2, 3]");
        assertMessage(assertThrows(IllegalArgumentException.class, () -> Tensor.zeros(2, -1)), "negative", "[2, -1]");
    }

    @Test
    void randomTensorsAreReproducibleAndIndependentOfTheSizeRequested() {
        assertArrayEquals(Tensor.randn(42, 1000).toFloatArray(), Tensor.randn(42, 1000).toFloatArray(), "same seed, same values");
        assertFalse(java.util.Arrays.equals(Tensor.randn(42, 10).toFloatArray(), Tensor.randn(43, 10).toFloatArray()),
                "another seed, other values");
        // Element i depends on (seed, i) only: a short draw is a prefix of a long one, whatever the shape.
        double[] small = Tensor.randn(7, DType.FLOAT64, 10).toDoubleArray();
        double[] large = Tensor.randn(7, DType.FLOAT64, 1000).toDoubleArray();
        double[] matrix = Tensor.randn(7, DType.FLOAT64, 5, 200).toDoubleArray();
        for (int i = 0; i < 10; i++) {
            assertEquals(small[i], large[i], "randn element " + i);
            assertEquals(small[i], matrix[i], "randn element " + i + " of a matrix");
        }
        double[] u10 = Tensor.rand(7, DType.FLOAT64, 10).toDoubleArray(), u1000 = Tensor.rand(7, DType.FLOAT64, 1000).toDoubleArray();
        for (int i = 0; i < 10; i++) assertEquals(u10[i], u1000[i], "rand element " + i);
        double min = 1, max = 0, mean = 0;
        for (double u : u1000) {
            min = Math.min(min, u);
            max = Math.max(max, u);
            mean += u / u1000.length;
        }
        assertTrue(min >= 0 && max < 1, "rand is in [0, 1)");
        assertEquals(0.5, mean, 0.05, "rand is roughly uniform");
        double m = 0, sq = 0;
        for (double z : large) {
            m += z / large.length;
            sq += z * z / large.length;
        }
        assertEquals(0, m, 0.1, "randn mean");
        assertEquals(1, sq - m * m, 0.15, "randn variance");
    }

    // ------------------------------------------------------------------ views

    @Test
    void viewsShareStorage() {
        Tensor x = Tensor.arange(24).reshape(2, 3, 4);
        Tensor[] views = {x.permute(2, 0, 1), x.transpose(0, 2), x.narrow(1, 1, 2), x.reshape(6, 4), x.reshape(-1),
                          x.unsqueeze(1), x.unsqueeze(1).squeeze(1), x.narrow(0, 0, 1).squeeze(0),
                          x.narrow(2, 0, 1).expand(2, 3, 5), x.flatten()};
        for (Tensor v : views) assertSame(x.storage(), v.storage(), "view " + java.util.Arrays.toString(v.shape()));
        x.storage().set(1 * 12 + 2 * 4 + 3, -1); // x[1, 2, 3]
        assertEquals(-1, x.permute(2, 0, 1).get(3, 1, 2));
        assertEquals(-1, x.transpose(0, 2).get(3, 2, 1));
        assertEquals(-1, x.narrow(1, 1, 2).get(1, 1, 3));
        assertEquals(-1, x.reshape(6, 4).get(5, 3));
        assertEquals(-1, x.unsqueeze(1).get(1, 0, 2, 3));
    }

    @Test
    void viewsHaveTheExpectedShapesAndStrides() {
        Tensor x = Tensor.zeros(2, 3, 4);
        assertArrayEquals(new int[] {4, 2, 3}, x.permute(2, 0, 1).shape());
        assertArrayEquals(new int[] {1, 12, 4}, x.permute(2, 0, 1).strides());
        assertArrayEquals(new int[] {2, 2, 4}, x.narrow(1, 1, 2).shape());
        assertEquals(4, x.narrow(1, 1, 2).offset());
        Tensor e = Tensor.zeros(3, 1).expand(3, 5);
        assertArrayEquals(new int[] {3, 5}, e.shape());
        assertEquals(0, e.strides()[1], "expanded dims have stride 0");
        assertArrayEquals(new int[] {4, 3, 5}, Tensor.zeros(3, 1).expand(4, -1, 5).shape(), "new leading dim, −1 keeps a size");
        assertArrayEquals(new int[] {2, 4}, Tensor.zeros(2, 1, 4, 1).squeeze().shape());
        assertArrayEquals(new int[] {2, 3, 1}, Tensor.zeros(2, 3).unsqueeze(-1).shape());
    }

    @Test
    void reshapeOfANonContiguousTensorCopies() {
        Tensor x = Tensor.arange(6).reshape(2, 3);
        Tensor t = x.t();
        assertFalse(t.isContiguous());
        Tensor r = t.reshape(6);
        assertNotSame(x.storage(), r.storage(), "a transposed tensor cannot be reshaped as a view");
        assertArrayEquals(new float[] {0, 3, 1, 4, 2, 5}, r.toFloatArray(), "row-major order of the transpose");
        x.storage().set(0, 100);
        assertEquals(0, r.get(0), "the copy does not follow later writes");
    }

    @Test
    void contiguous() {
        Tensor x = Tensor.arange(6).reshape(2, 3);
        assertSame(x, x.contiguous(), "already contiguous: the same tensor");
        Tensor c = x.t().contiguous();
        assertTrue(c.isContiguous());
        assertNotSame(x.storage(), c.storage());
        assertArrayEquals(new int[] {3, 2}, c.shape());
        assertArrayEquals(new float[] {0, 3, 1, 4, 2, 5}, c.toFloatArray());
        assertTrue(Tensor.zeros(3, 1).expand(3, 4).contiguous().isContiguous());
    }

    @Test
    void toArraysReadViewsInRowMajorOrder() {
        Tensor x = Tensor.arange(12).reshape(3, 4);
        assertArrayEquals(new float[] {1, 2, 5, 6, 9, 10}, x.narrow(1, 1, 2).toFloatArray());
        assertArrayEquals(new double[] {0, 4, 8, 1, 5, 9, 2, 6, 10, 3, 7, 11}, x.t().toDoubleArray());
        assertArrayEquals(new double[] {4, 5, 6, 7}, x.narrow(0, 1, 1).toDoubleArray(), "a view with an offset");
        assertArrayEquals(new float[] {2, 2, 2, 6, 6, 6}, x.narrow(1, 2, 1).narrow(0, 0, 2).expand(2, 3).toFloatArray());
        Tensor d = Tensor.arange(0, 6, 1, DType.FLOAT64).reshape(2, 3);
        assertArrayEquals(new float[] {0, 3, 1, 4, 2, 5}, d.t().toFloatArray(), "float64 view to floats");
    }

    // ------------------------------------------------------------------ element access

    @Test
    void getSetAndItem() {
        Tensor x = Tensor.arange(6).reshape(2, 3);
        assertEquals(5, x.get(1, 2));
        assertEquals(5, x.get(-1, -1), "negative indices count from the end");
        x.set(42, 0, 1);
        assertEquals(42, x.get(0, 1));
        assertEquals(42, x.storage().get(1));

        int before = x.storage().version();
        x.set(1, 0, 0);
        assertEquals(before + 1, x.storage().version(), "set bumps the storage version");

        assertMessage(assertThrows(IndexOutOfBoundsException.class, () -> x.get(2, 0)), "[2, 0]", "[2, 3]");
        assertMessage(assertThrows(IndexOutOfBoundsException.class, () -> x.get(0, -4)), "[0, -4]", "[2, 3]");
        assertMessage(assertThrows(IllegalArgumentException.class, () -> x.get(1)), "1 coordinates", "[2, 3]");
        assertMessage(assertThrows(IndexOutOfBoundsException.class, () -> x.set(0, 0, 3)), "[0, 3]", "[2, 3]");
        assertMessage(assertThrows(IllegalStateException.class, x::item), "[2, 3]", "6 elements");
        assertEquals(4, x.narrow(1, 1, 1).narrow(0, 1, 1).item(), "item of a one-element view");
    }

    // ------------------------------------------------------------------ text

    @Test
    void toStringShowsValuesShapeAndDtype() {
        String s = Tensor.fromArray(new float[] {1, 2, 3, 4}, 2, 2).toString();
        assertTrue(s.contains("1.0000") && s.contains("4.0000"), s);
        assertTrue(s.contains("shape=[2, 2]") && s.contains("dtype=float32"), s);
        String d = Tensor.zeros(DType.FLOAT64, 3).toString();
        assertTrue(d.contains("dtype=float64"), d);
    }

    @Test
    void toStringElidesLongDims() {
        String s = Tensor.arange(1000).toString();
        assertTrue(s.contains("…"), s);
        assertTrue(s.contains("0.0000") && s.contains("2.0000") && s.contains("999.0000"), "keeps both ends: " + s);
        assertFalse(s.contains("500.0000"), "elides the middle: " + s);
        assertTrue(s.length() < 200, "stays short: " + s.length() + " characters");
        assertTrue(s.contains("shape=[1000]"), s);
        String m = Tensor.arange(0, 2000, 1, DType.FLOAT32).reshape(40, 50).toString();
        assertTrue(m.length() < 800, "a 40×50 matrix prints a few rows and columns, got " + m.length() + " characters");
    }

    // ------------------------------------------------------------------ errors

    @Test
    void dimsOutOfRangeNameTheDimAndTheShape() {
        Tensor x = Tensor.zeros(2, 3);
        assertMessage(assertThrows(IllegalArgumentException.class, () -> x.size(2)), "dim 2", "[2, 3]");
        assertMessage(assertThrows(IllegalArgumentException.class, () -> x.transpose(0, -3)), "dim -3", "[2, 3]");
        assertMessage(assertThrows(IllegalArgumentException.class, () -> x.permute(0, 5)), "dim 5", "[2, 3]");
        assertMessage(assertThrows(IllegalArgumentException.class, () -> x.narrow(2, 0, 1)), "dim 2", "[2, 3]");
        assertMessage(assertThrows(IllegalArgumentException.class, () -> x.unsqueeze(4)), "dim 4", "[2, 3]");
        assertMessage(assertThrows(IllegalArgumentException.class, () -> x.squeeze(3)), "dim 3", "[2, 3]");
        assertMessage(assertThrows(IllegalArgumentException.class, () -> x.sum(new int[] {2}, false)), "dim 2", "[2, 3]");
        assertMessage(assertThrows(IllegalArgumentException.class, () -> x.squeeze(1)), "dim 1", "[2, 3]", "size 3");
        assertMessage(assertThrows(IllegalArgumentException.class, () -> x.reshape(4, 2)), "[2, 3]", "[4, 2]");
        assertMessage(assertThrows(IllegalArgumentException.class, () -> x.narrow(1, 2, 2)), "narrow");
        assertMessage(assertThrows(IllegalArgumentException.class, () -> x.expand(2, 4)), "[2, 3]", "[2, 4]");
        assertMessage(assertThrows(IllegalArgumentException.class, () -> x.t().t().permute(0)), "[2, 3]");
    }
}
