package dev.lethe.ops;

import dev.lethe.backend.TestDeviceProvider;
import dev.lethe.cpu.Parallel;
import dev.lethe.tensor.DType;
import dev.lethe.tensor.Tensor;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The fused float32 cross-entropy node against the composed logSoftmax + nllLoss graph on the
 * same float32 logits: loss values and logit gradients agree to float32 rounding for odd
 * shapes, every reduction and label smoothing.
 */
@Tag("kernels")
class CrossEntropyFusedTest {
    static final int[] SIZES = {1, 3, 7, 10, 17, 33};
    static final double RTOL = 1e-6;

    @TestFactory
    List<DynamicTest> fusedMatchesComposed() {
        List<DynamicTest> tests = new ArrayList<>();
        for (int n : SIZES)
            for (int c : SIZES)
                for (Reduction r : Reduction.values())
                    for (double eps : new double[] {0, 0.1, 1})
                        tests.add(DynamicTest.dynamicTest("[" + n + ", " + c + "] " + r + " ε=" + eps,
                                () -> compare(Tensor.randn(31L * n + c, DType.FLOAT32, n, c).mul(3), n, c, r, eps)));
        return tests;
    }

    @Test
    void transposedLogitsAndLargeValues() {
        compare(Tensor.randn(5, DType.FLOAT32, 17, 7).mul(100).t(), 7, 17, Reduction.MEAN, 0.2);
        compare(Tensor.randn(6, DType.FLOAT32, 10, 33).t(), 33, 10, Reduction.NONE, 0.0);
    }

    @Test
    void resultDoesNotDependOnThreadCount() {
        Tensor logits = Tensor.randn(7, DType.FLOAT32, 65, 1000);
        int[] t = targets(65, 1000, 8);
        int before = Parallel.threads();
        try {
            Parallel.setThreads(1);
            float[][] one = lossAndGrad(logits, t);
            Parallel.setThreads(3);
            float[][] three = lossAndGrad(logits, t);
            assertArrayEquals(one[0], three[0]);
            assertArrayEquals(one[1], three[1]);
        } finally {
            Parallel.setThreads(before);
        }
    }

    @Test
    void float32LogitsRecordOneNode() {
        Tensor x = Tensor.randn(9, DType.FLOAT32, 3, 5).requiresGrad(true);
        Tensor loss = x.crossEntropy(0, 4, 2);
        assertEquals("crossEntropy", loss.gradFn().name());
        assertSame(x, loss.gradFn().inputs()[0], "the fused node's only input is the logits");
    }

    private static float[][] lossAndGrad(Tensor logits, int[] t) {
        Tensor x = logits.detach().requiresGrad(true);
        Tensor loss = CrossEntropy.apply(x, t, Reduction.MEAN, 0.1);
        loss.backward();
        return new float[][] {loss.toFloatArray(), x.grad().toFloatArray()};
    }

    private static int[] targets(int n, int c, long seed) {
        java.util.Random rnd = new java.util.Random(seed);
        int[] t = new int[n];
        for (int i = 0; i < n; i++) t[i] = rnd.nextInt(c);
        return t;
    }

    /** Runs both forms on {@code logits} (any layout) and compares values and gradients. */
    private static void compare(Tensor logits, int n, int c, Reduction r, double eps) {
        int[] t = targets(n, c, n * 131L + c);
        Tensor xf = logits.detach().requiresGrad(true), xc = logits.detach().requiresGrad(true);
        Tensor fused = CrossEntropy.fused(xf, t, r, eps), composed = CrossEntropy.composed(xc, t, r, eps);
        assertEquals(DType.FLOAT32, fused.dtype());
        assertArrayEquals(composed.shape(), fused.shape());
        String what = Arrays.toString(logits.shape()) + " " + r + " ε=" + eps;
        close(what + " loss", composed.toFloatArray(), fused.toFloatArray());
        // An uneven upstream gradient for NONE, so each row's gᵢ is used.
        Tensor g = r == Reduction.NONE ? Tensor.randn(99, DType.FLOAT32, n) : Tensor.scalar(1.5);
        fused.backward(g);
        composed.backward(g);
        close(what + " gradient", xc.grad().toFloatArray(), xf.grad().toFloatArray());
    }

    /** |got − want| ≤ RTOL·(max|want| + |want|) elementwise. */
    private static void close(String what, float[] want, float[] got) {
        assertEquals(want.length, got.length, what);
        double scale = 0;
        for (float w : want) scale = Math.max(scale, Math.abs(w));
        for (int i = 0; i < want.length; i++) {
            double tol = RTOL * (scale + Math.abs(want[i]));
            assertTrue(Math.abs(got[i] - want[i]) <= tol, what + " element " + i + ": composed " + want[i] + ", fused " + got[i]);
        }
    }

    /**
     * crossEntropy on the device's fused kernels, for every reduction and with label smoothing:
     * the loss and ∂logits equal the CPU's, and so does the composed form a device without
     * those kernels runs.
     */
    @Test
    void crossEntropyOnTheDeviceMatchesTheCpuFusedAndComposed() {
        int[] targets = {2, 0, 4, 4, 1};
        for (Reduction r : Reduction.values()) {
            for (double eps : new double[] {0, 0.1}) {
                Tensor xc = Tensor.randn(11, 5, 6).mul(3).requiresGrad(true), xd = xc.detach().to(TestDeviceProvider.DEV0).requiresGrad(true);
                Tensor lc = xc.crossEntropy(targets, r, eps), ld = xd.crossEntropy(targets, r, eps);
                assertEquals(TestDeviceProvider.DEV0, ld.device());
                assertEquals("crossEntropy", ld.gradFn().name(), "one fused node on the device");
                assertArrayEquals(lc.toFloatArray(), ld.toFloatArray(), 1e-6f);
                Tensor seed = Tensor.randn(12, lc.shape());
                lc.backward(seed);
                ld.backward(seed.to(TestDeviceProvider.DEV0));
                assertEquals(TestDeviceProvider.DEV0, xd.grad().device());
                assertArrayEquals(xc.grad().toFloatArray(), xd.grad().toFloatArray(), 1e-6f);
                Tensor composed = CrossEntropy.composed(xc.detach().to(TestDeviceProvider.DEV0), targets, r, eps);
                assertArrayEquals(lc.toFloatArray(), composed.toFloatArray(), 1e-5f);
            }
        }
    }
}
