package dev.lethe.ops;

import dev.lethe.cpu.ConvShapes;
import dev.lethe.cpu.Parallel;
import dev.lethe.tensor.DType;
import dev.lethe.tensor.Tensor;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The float32 conv2d kernels (forward, ∂x, ∂w, ∂b) against the float64 composition of unfold
 * and matmul. Inputs and the incoming gradient are small integers, so every sum is exact in
 * float32 whatever its order: the results must be equal, and any dropped, doubled or misplaced
 * term shows.
 */
@Tag("kernels")
class Conv2dFusedTest {
    private static final int[] HW = {1, 3, 7, 15, 28};
    private static final int[][] KERNELS = {{3, 3}, {1, 1}, {2, 3}};

    @Test
    void matchesTheFloat64CompositionOnOddShapes() {
        int cases = ConvShapes.forEach(HW, KERNELS, 1, 3000, 5, (seed, n, c, h, w, kh, kw, s, p) ->
                compare(ints(seed, n, c, h, w), ints(seed + 1, 4, c, kh, kw), ints(seed + 2, 4), s, s, p, p));
        assertTrue(cases > 300, "only " + cases + " shapes were checked");
    }

    @Test
    void mixedStridesPaddingsAndNoBias() {
        compare(ints(1, 2, 3, 17, 7), ints(2, 5, 3, 3, 2), null, 2, 1, 0, 1);
        compare(ints(3, 3, 2, 7, 17), ints(4, 2, 2, 2, 3), ints(5, 2), 1, 2, 1, 0);
        // Channels above one k-block of the GEMM (16·5·5 = 400 > 256 rows).
        compare(ints(6, 2, 16, 9, 9), ints(7, 3, 16, 5, 5), ints(8, 3), 1, 1, 2, 2);
    }

    @Test
    void nonContiguousViews() {
        // A permuted and a narrowed input; a transposed weight.
        compare(ints(9, 3, 7, 15, 3).permute(0, 3, 1, 2), ints(10, 4, 3, 3, 3), ints(11, 4), 1, 1, 1, 1);
        compare(ints(12, 3, 5, 28, 28).narrow(1, 1, 3), ints(13, 2, 3, 3, 3).transpose(2, 3), ints(14, 2), 2, 2, 1, 1);
    }

    @Test
    void onlyTheGradientsThatAreNeededAreComputed() {
        Tensor x = ints(15, 2, 1, 7, 7), w = ints(16, 3, 1, 3, 3).requiresGrad(true);
        Conv2d.fused(x, w, null, 1, 1, 1, 1).sum().backward();
        assertNull(x.grad());
        assertNotNull(w.grad());
    }

    @Test
    void resultsDoNotDependOnTheThreadCount() {
        // 21 images: three ∂w groups, the last one partial; random (not integer) values so the
        // order of every sum matters to the bits.
        Tensor x = Tensor.randn(17, DType.FLOAT32, 21, 16, 14, 14), w = Tensor.randn(18, DType.FLOAT32, 32, 16, 3, 3);
        Tensor b = Tensor.randn(19, DType.FLOAT32, 32), g = Tensor.randn(20, DType.FLOAT32, 21, 32, 14, 14);
        int before = Parallel.threads();
        try {
            Parallel.setThreads(1);
            float[][] one = convAndGrads(x, w, b, g);
            for (int threads : new int[] {2, 3}) {
                Parallel.setThreads(threads);
                float[][] many = convAndGrads(x, w, b, g);
                for (int i = 0; i < one.length; i++) assertArrayEquals(one[i], many[i], "output " + i + ", " + threads + " threads");
            }
        } finally {
            Parallel.setThreads(before);
        }
    }

    private static float[][] convAndGrads(Tensor x, Tensor w, Tensor b, Tensor g) {
        Tensor xg = x.detach().requiresGrad(true), wg = w.detach().requiresGrad(true), bg = b.detach().requiresGrad(true);
        Tensor y = xg.conv2d(wg, bg, 1, 1);
        y.backward(g);
        return new float[][] {y.toFloatArray(), xg.grad().toFloatArray(), wg.grad().toFloatArray(), bg.grad().toFloatArray()};
    }

    /** Runs the float32 kernels on x, w, bias and the float64 composition on the same values, and compares. */
    private static void compare(Tensor x, Tensor w, Tensor bias, int sh, int sw, int ph, int pw) {
        String what = Arrays.toString(x.shape()) + " * " + Arrays.toString(w.shape()) + (bias == null ? "" : " + b")
                + ", stride " + sh + "×" + sw + ", padding " + ph + "×" + pw;
        Tensor xf = x.detach().requiresGrad(true), wf = w.detach().requiresGrad(true);
        Tensor bf = bias == null ? null : bias.detach().requiresGrad(true);
        Tensor xd = x.to(DType.FLOAT64).detach().requiresGrad(true), wd = w.to(DType.FLOAT64).detach().requiresGrad(true);
        Tensor bd = bias == null ? null : bias.to(DType.FLOAT64).detach().requiresGrad(true);
        Tensor fast = Conv2d.fused(xf, wf, bf, sh, sw, ph, pw), ref = Conv2d.composed(xd, wd, bd, sh, sw, ph, pw);
        assertEquals("conv2d", fast.gradFn().name(), what);
        assertArrayEquals(ref.shape(), fast.shape(), what);
        assertArrayEquals(ref.toDoubleArray(), fast.toDoubleArray(), what + ": output");
        Tensor g = ints(x.numel() + 7L, fast.shape());
        fast.backward(g);
        ref.backward(g.to(DType.FLOAT64));
        assertArrayEquals(xd.grad().toDoubleArray(), xf.grad().toDoubleArray(), what + ": ∂x");
        assertArrayEquals(wd.grad().toDoubleArray(), wf.grad().toDoubleArray(), what + ": ∂w");
        if (bias != null) assertArrayEquals(bd.grad().toDoubleArray(), bf.grad().toDoubleArray(), what + ": ∂b");
    }

    /** float32 integers in [−3, 3]: products and their sums stay exact. */
    private static Tensor ints(long seed, int... shape) {
        int n = Arrays.stream(shape).reduce(1, (a, b) -> a * b);
        float[] v = new float[n];
        Random rnd = new Random(seed);
        for (int i = 0; i < n; i++) v[i] = rnd.nextInt(7) - 3;
        return Tensor.fromArray(v, shape);
    }
}
