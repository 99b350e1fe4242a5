package dev.lethe.ops;

import dev.lethe.backend.UnaryOp;
import dev.lethe.cpu.Parallel;
import dev.lethe.tensor.Tensor;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.*;

/**
 * relu's one-pass float32 backward ({@link dev.lethe.cpu.ReluKernel}) against the composed
 * {@code g.mul(step(x))} it replaces, bit for bit: signed zeros, infinities and NaNs in both
 * the gradient and the input, sizes around every vector width, views that are not
 * contiguous, and 1 or 3 threads.
 */
@Tag("kernels")
class ReluBackwardTest {
    private static final float[] SPECIAL = {0f, -0f, Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, Float.MIN_VALUE, -Float.MIN_VALUE};

    @Test
    void matchesTheComposedProductOnEverySize() {
        Random rnd = new Random(1);
        for (int n = 1; n <= 70; n++) check(values(rnd, n, 1), values(rnd, n, 1));
        for (int n : new int[] {1000, 100_003}) check(values(rnd, n, 1), values(rnd, n, 1));
    }

    @Test
    void viewsThatAreNotContiguous() {
        Random rnd = new Random(2);
        Tensor g = values(rnd, 7, 17).transpose(0, 1), x = values(rnd, 17, 7);
        check(g, x);
        check(x, g);
    }

    @Test
    void sameBitsOnAnyThreadCount() {
        Random rnd = new Random(3);
        Tensor g = values(rnd, 1000, 101), x = values(rnd, 1000, 101);
        int before = Parallel.threads();
        try {
            Parallel.setThreads(1);
            float[] one = Relu.backward(g, x).toFloatArray();
            Parallel.setThreads(3);
            assertArrayEquals(one, Relu.backward(g, x).toFloatArray());
        } finally {
            Parallel.setThreads(before);
        }
    }

    private static void check(Tensor g, Tensor x) {
        float[] want = g.mul(Elementwise.unary(UnaryOp.STEP, x)).toFloatArray(), got = Relu.backward(g, x).toFloatArray();
        float[] gv = g.toFloatArray(), xv = x.toFloatArray();
        assertEquals(want.length, got.length);
        for (int i = 0; i < want.length; i++) {
            if (Float.floatToRawIntBits(want[i]) != Float.floatToRawIntBits(got[i])) {
                fail("element " + i + " of " + want.length + ": g " + gv[i] + ", x " + xv[i] + ": " + want[i] + " expected, " + got[i] + " computed");
            }
        }
    }

    /** Gaussian values with one in five replaced by a special one. */
    private static Tensor values(Random rnd, int rows, int cols) {
        float[] v = new float[rows * cols];
        for (int i = 0; i < v.length; i++) v[i] = rnd.nextInt(5) == 0 ? SPECIAL[rnd.nextInt(SPECIAL.length)] : (float) rnd.nextGaussian();
        return Tensor.fromArray(v, rows, cols);
    }
}
