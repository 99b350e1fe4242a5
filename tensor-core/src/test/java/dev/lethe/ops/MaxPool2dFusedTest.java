package dev.lethe.ops;

import dev.lethe.cpu.Parallel;
import dev.lethe.tensor.DType;
import dev.lethe.tensor.Tensor;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The float32 maxPool2d kernel against the composed unfold + max graph: on inputs without
 * ties both pick the same element, so values and gradients must be identical; on ties the
 * kernel gives the whole gradient to the first maximum.
 */
@Tag("kernels")
class MaxPool2dFusedTest {

    @Test
    void fusedMatchesComposedOnDistinctInputs() {
        int cases = 0;
        for (int n : new int[] {1, 3})
            for (int c : new int[] {1, 3})
                for (int h : new int[] {1, 3, 7, 17})
                    for (int w : new int[] {1, 3, 7, 17, 28})
                        for (int k = 1; k <= 3; k++)
                            for (int s = 1; s <= 3; s++) {
                                if (k > h || k > w) continue;
                                compare(distinct(n * 1000L + c * 100 + h * 10 + w, n, c, h, w), k, s);
                                cases++;
                            }
        assertTrue(cases > 100, "only " + cases + " shapes were checked");
    }

    @Test
    void nonContiguousInput() {
        compare(distinct(3, 2, 7, 17, 3).permute(0, 3, 1, 2), 3, 2);
        compare(distinct(4, 2, 3, 17, 28).transpose(2, 3), 2, 2);
    }

    @Test
    void tiesSendTheGradientToTheFirstMaximum() {
        Tensor x = Tensor.fromArray(new float[] {1, 5, 5, 2, 5, 0, 0, 5, 3}, 1, 1, 3, 3).requiresGrad(true);
        Tensor y = x.maxPool2d(2, 1);
        assertArrayEquals(new float[] {5, 5, 5, 5}, y.toFloatArray());
        y.sum().backward();
        // Windows: {1,5,2,5}→(0,1); {5,5,5,0}→(0,1); {2,5,0,5}→(1,1); {5,0,5,3}→(1,1).
        assertArrayEquals(new float[] {0, 2, 0, 0, 2, 0, 0, 0, 0}, x.grad().toFloatArray());
    }

    @Test
    void twoByTwoTiesAndNaNsFollowTheGeneralRule() {
        // Four 2×2 windows of a [1, 1, 2, 8] input (the stride-2 fast path): the first maximum
        // in row-major order takes the gradient, and the first NaN beats numbers.
        float nan = Float.NaN;
        Tensor x = Tensor.fromArray(new float[] {
            5, 5, 1, 5, 1, 2, nan, 1,
            5, 1, 5, 0, 5, 5, 2, nan}, 1, 1, 2, 8).requiresGrad(true);
        Tensor y = x.maxPool2d(2);
        assertArrayEquals(new float[] {5, 5, 5, nan}, y.toFloatArray());
        y.sum().backward();
        assertArrayEquals(new float[] {
            1, 0, 0, 1, 0, 0, 1, 0,
            0, 0, 0, 0, 1, 0, 0, 0}, x.grad().toFloatArray());
    }

    @Test
    void nanPropagates() {
        Tensor x = Tensor.fromArray(new float[] {1, Float.NaN, 3, 4}, 1, 1, 2, 2);
        assertTrue(Float.isNaN(x.maxPool2d(2).toFloatArray()[0]));
        assertTrue(Float.isNaN(MaxPool2d.composed(x, 2, 2).toFloatArray()[0]), "the composed form agrees");
    }

    @Test
    void resultDoesNotDependOnThreadCount() {
        Tensor x = distinct(9, 4, 16, 28, 28);
        int before = Parallel.threads();
        try {
            Parallel.setThreads(1);
            float[][] one = poolAndGrad(x, 3, 2);
            Parallel.setThreads(3);
            float[][] three = poolAndGrad(x, 3, 2);
            assertArrayEquals(one[0], three[0]);
            assertArrayEquals(one[1], three[1]);
        } finally {
            Parallel.setThreads(before);
        }
    }

    /** Distinct float32 values: a permutation of 0..n−1, scaled, so no window has a tie. */
    private static Tensor distinct(long seed, int... shape) {
        int n = Arrays.stream(shape).reduce(1, (a, b) -> a * b);
        float[] v = new float[n];
        for (int i = 0; i < n; i++) v[i] = i * 0.01f - n * 0.005f;
        java.util.Random rnd = new java.util.Random(seed);
        for (int i = n - 1; i > 0; i--) {
            int j = rnd.nextInt(i + 1);
            float t = v[i];
            v[i] = v[j];
            v[j] = t;
        }
        return Tensor.fromArray(v, shape);
    }

    private static float[] integers(int n) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) v[i] = (i * 7919) % 13 - 6;
        return v;
    }

    private static float[][] poolAndGrad(Tensor x, int k, int s) {
        Tensor xf = x.detach().requiresGrad(true);
        Tensor y = MaxPool2d.fused(xf, k, s);
        y.backward(Tensor.randn(11, DType.FLOAT32, y.shape()));
        return new float[][] {y.toFloatArray(), xf.grad().toFloatArray()};
    }

    private static void compare(Tensor x, int k, int s) {
        String what = Arrays.toString(x.shape()) + " k " + k + " s " + s;
        Tensor xf = x.detach().requiresGrad(true), xc = x.detach().requiresGrad(true);
        Tensor fused = MaxPool2d.fused(xf, k, s), composed = MaxPool2d.composed(xc, k, s);
        assertEquals("maxPool2d", fused.gradFn().name(), what);
        assertArrayEquals(composed.shape(), fused.shape(), what);
        assertArrayEquals(composed.toFloatArray(), fused.toFloatArray(), what);
        // Integer gradients: where windows overlap the two forms add in different orders, and
        // integer sums are exact in any order.
        Tensor g = Tensor.fromArray(integers(fused.numel()), fused.shape());
        fused.backward(g);
        composed.backward(g);
        assertArrayEquals(xc.grad().toFloatArray(), xf.grad().toFloatArray(), what + " gradient");
    }
}
