package dev.lethe.ops;

import dev.lethe.check.Samples;
import dev.lethe.cpu.Parallel;
import dev.lethe.tensor.DType;
import dev.lethe.tensor.Tensor;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The float32 batchNorm kernel against the float64 composition (mean, var, sub, div, ...):
 * output, μ, σ² and all three gradients, on odd shapes, views, a large mean, and 1 vs 3 threads.
 */
@Tag("kernels")
class BatchNormFusedTest {
    @Test
    void fusedMatchesTheFloat64CompositionOnOddShapes() {
        int cases = 0;
        for (int n : new int[] {1, 2, 3, 7})
            for (int c : new int[] {1, 3, 16})
                for (int[] rest : new int[][] {{}, {1}, {17}, {3, 5}, {7, 7}, {28, 28}}) {
                    int[] shape = new int[2 + rest.length];
                    shape[0] = n;
                    shape[1] = c;
                    System.arraycopy(rest, 0, shape, 2, rest.length);
                    if (n * Arrays.stream(rest).reduce(1, (a, b) -> a * b) < 2) continue;
                    compare(Samples.randn(cases + 1, shape), 0, 1e-5);
                    cases++;
                }
        assertTrue(cases > 60, "only " + cases + " shapes were checked");
    }

    @Test
    void viewsALargeMeanAndALargeEpsilon() {
        compare(Samples.randn(1, 3, 17, 5).permute(0, 2, 1), 0, 1e-5);         // channels strided
        compare(Samples.randn(2, 4, 3, 7, 7).transpose(2, 3), 0, 1e-5);
        compare(Samples.randn(3, 5, 4, 33), 1000, 1e-5);                          // μ ≫ σ: no cancellation
        compare(Samples.randn(4, 8, 2, 3), 0, 0.5);
    }

    @Test
    void resultDoesNotDependOnThreadCount() {
        Tensor x = Samples.randn(5, 9, 16, 28, 28).to(DType.FLOAT32);
        int before = Parallel.threads();
        try {
            Parallel.setThreads(1);
            float[][] one = run(x);
            Parallel.setThreads(3);
            float[][] three = run(x);
            for (int i = 0; i < one.length; i++) assertArrayEquals(one[i], three[i], "part " + i);
        } finally {
            Parallel.setThreads(before);
        }
    }

    @Test
    void onlyTheWantedGradientsAreComputed() {
        Tensor x = Samples.randn(6, 4, 3, 5).to(DType.FLOAT32);
        Tensor w = Samples.randn(7, 3).to(DType.FLOAT32).requiresGrad(true), b = Samples.randn(8, 3).to(DType.FLOAT32);
        BatchNormalization.fused(x, w, b, 1e-5).output().sum().backward();
        assertNull(x.grad());
        assertNull(b.grad());
        assertNotNull(w.grad());
    }

    private static float[][] run(Tensor x) {
        Tensor xf = x.detach().requiresGrad(true), w = Tensor.ones(x.size(1)).requiresGrad(true), b = Tensor.zeros(x.size(1)).requiresGrad(true);
        BatchNormalization.Result r = BatchNormalization.fused(xf, w, b, 1e-5);
        r.output().backward(Samples.randn(11, x.shape()).to(DType.FLOAT32));
        return new float[][] {r.output().toFloatArray(), r.mean().toFloatArray(), r.variance().toFloatArray(), xf.grad().toFloatArray(),
                w.grad().toFloatArray(), b.grad().toFloatArray()};
    }

    /** x float64 (shifted by {@code shift}); the float32 kernel must agree with the float64 composition to float32 rounding. */
    private static void compare(Tensor x64, double shift, double eps) {
        String what = Arrays.toString(x64.shape()) + " shift " + shift + " eps " + eps;
        int c = x64.size(1);
        Tensor base = x64.add(shift);
        Tensor w64 = Samples.randn(21, c), b64 = Samples.randn(22, c), g64 = Samples.randn(23, base.shape());
        // The float64 reference on exactly the float32 inputs.
        Tensor x32 = base.to(DType.FLOAT32).detach(), w32 = w64.to(DType.FLOAT32), b32 = b64.to(DType.FLOAT32), g32 = g64.to(DType.FLOAT32);
        Tensor xr = x32.to(DType.FLOAT64).requiresGrad(true), wr = w32.to(DType.FLOAT64).requiresGrad(true), br = b32.to(DType.FLOAT64).requiresGrad(true);
        BatchNormalization.Result ref = BatchNormalization.composed(xr, wr, br, eps);
        ref.output().backward(g32.to(DType.FLOAT64));
        Tensor xf = x32.requiresGrad(true), wf = w32.detach().requiresGrad(true), bf = b32.detach().requiresGrad(true);
        BatchNormalization.Result fast = BatchNormalization.training(xf, wf, bf, eps);
        assertEquals("batchNorm", fast.output().gradFn().name(), what);
        fast.output().backward(g32);
        close(ref.output(), fast.output(), what + " output");
        close(ref.mean(), fast.mean(), what + " mean");
        close(ref.variance(), fast.variance(), what + " variance");
        close(xr.grad(), xf.grad(), what + " ∂x");
        close(wr.grad(), wf.grad(), what + " ∂γ");
        close(br.grad(), bf.grad(), what + " ∂β");
    }

    /** Agreement to float32 rounding relative to the tensor's scale (sums of many terms included). */
    private static void close(Tensor want, Tensor got, String what) {
        double[] a = want.toDoubleArray(), b = got.toDoubleArray();
        assertEquals(a.length, b.length, what);
        double scale = 1;
        for (double v : a) scale = Math.max(scale, Math.abs(v));
        for (int i = 0; i < a.length; i++) {
            assertEquals(a[i], b[i], 2e-5 * scale, what + " element " + i);
        }
    }
}
