package dev.lethe.ops;

import dev.lethe.cpu.Parallel;
import dev.lethe.nn.MaxPool2d;
import dev.lethe.nn.ReLU;
import dev.lethe.nn.Sequential;
import dev.lethe.tensor.DType;
import dev.lethe.tensor.Tensor;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.*;

/**
 * maxPool2d(relu(x)) as one node ({@link dev.lethe.ops.MaxPool2d#afterRelu}) against relu
 * then maxPool2d as two: values and gradients bit for bit (the sign of every zero included),
 * on odd sizes (rows of 33 2×2 windows: whole vectors and a part of one at every width), every
 * window that does not overlap, ties, all-negative windows, ±0, ±∞ and
 * NaN in x, negative, zero and NaN gradients, a non-contiguous input, one and three threads.
 */
@Tag("kernels")
class ReluMaxPoolFusedTest {

    @Test
    void equalsReluThenMaxPoolBitForBit() {
        int cases = 0;
        int before = Parallel.threads();
        try {
            for (int threads : new int[] {1, 3}) {
                Parallel.setThreads(threads);
                for (int n : new int[] {1, 3})
                    for (int c : new int[] {1, 3})
                        for (int h : new int[] {1, 2, 3, 7, 17, 28})
                            for (int w : new int[] {1, 3, 7, 17, 28, 66})
                                for (int k = 1; k <= 3; k++) {
                                    if (k > h || k > w) continue;
                                    Random rnd = new Random(((n * 31L + c) * 31 + h) * 31 + w + k);
                                    compare(values(rnd, n, c, h, w), k, rnd, threads);
                                    cases++;
                                }
            }
        } finally {
            Parallel.setThreads(before);
        }
        assertTrue(cases > 200, "only " + cases + " cases");
    }

    @Test
    void nonContiguousInput() {
        Random rnd = new Random(3);
        compare(values(rnd, 2, 28, 3, 28).permute(0, 2, 1, 3), 2, rnd, Parallel.threads());
    }

    @Test
    void sequentialFusesReluThenNonOverlappingPoolOnly() {
        Tensor x = values(new Random(5), 2, 3, 8, 8).requiresGrad(true);
        assertEquals("reluMaxPool2d", new Sequential(new ReLU(), new MaxPool2d(2)).forward(x).gradFn().name());
        assertEquals("maxPool2d", new Sequential(new ReLU(), new MaxPool2d(3, 2)).forward(x).gradFn().name(), "overlapping windows stay apart");
        assertEquals("relu", new Sequential(new MaxPool2d(2), new ReLU()).forward(x).gradFn().name());
    }

    @Test
    void float64RunsTheComposition() {
        Tensor x = values(new Random(7), 2, 2, 6, 6).to(DType.FLOAT64);
        assertArrayEquals(x.relu().maxPool2d(2).toDoubleArray(), dev.lethe.ops.MaxPool2d.afterRelu(x, 2).toDoubleArray());
    }

    /** Gaussian values with ties, all-negative stretches and the special values mixed in. */
    private static Tensor values(Random rnd, int... shape) {
        int len = Arrays.stream(shape).reduce(1, (a, b) -> a * b);
        float[] v = new float[len];
        float[] special = {Float.NaN, 0f, -0f, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, 1f, -1f};
        for (int i = 0; i < len; i++) {
            int kind = rnd.nextInt(10);
            v[i] = kind == 0 ? special[rnd.nextInt(special.length)]
                    : kind < 4 ? rnd.nextInt(5) - 3         // ties, zeros and negatives
                    : (float) rnd.nextGaussian();
        }
        return Tensor.fromArray(v, shape);
    }

    private static void compare(Tensor x, int k, Random rnd, int threads) {
        String what = Arrays.toString(x.shape()) + " k " + k + ", " + threads + " threads";
        Tensor xf = x.detach().requiresGrad(true), xc = x.detach().requiresGrad(true);
        Tensor fused = dev.lethe.ops.MaxPool2d.afterRelu(xf, k), composed = xc.relu().maxPool2d(k);
        assertEquals("reluMaxPool2d", fused.gradFn().name(), what);
        assertArrayEquals(composed.shape(), fused.shape(), what);
        assertBits(composed.toFloatArray(), fused.toFloatArray(), what + " values");
        float[] g = new float[fused.numel()];
        for (int i = 0; i < g.length; i++) {
            int kind = rnd.nextInt(8);
            g[i] = kind == 0 ? -0f : kind == 1 ? Float.NaN : (float) rnd.nextGaussian();
        }
        Tensor gt = Tensor.fromArray(g, fused.shape());
        fused.backward(gt);
        composed.backward(gt);
        assertBits(xc.grad().toFloatArray(), xf.grad().toFloatArray(), what + " gradient");
    }

    private static void assertBits(float[] want, float[] got, String what) {
        assertEquals(want.length, got.length, what);
        for (int i = 0; i < want.length; i++) {
            if (Float.floatToRawIntBits(want[i]) != Float.floatToRawIntBits(got[i])) {
                fail(what + ": element " + i + " is " + got[i] + ", relu then maxPool2d gives " + want[i]);
            }
        }
    }
}
