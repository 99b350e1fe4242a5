package dev.lethe.ops;

import dev.lethe.cpu.Parallel;
import dev.lethe.cpu.RestoresThreadCount;
import dev.lethe.nn.Conv2d;
import dev.lethe.nn.MaxPool2d;
import dev.lethe.nn.ReLU;
import dev.lethe.nn.Sequential;
import dev.lethe.tensor.DType;
import dev.lethe.tensor.Tensor;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.Arrays;
import java.util.Random;

import static dev.lethe.ops.FusedNodeChecks.assertBits;
import static dev.lethe.ops.FusedNodeChecks.gradient;
import static dev.lethe.ops.FusedNodeChecks.values;
import static org.junit.jupiter.api.Assertions.*;

/**
 * conv2d → relu → maxPool2d as one node ({@link ConvReluMaxPool2d}) against conv2d and the
 * fused relu-pool as two: values and the gradients of x, w and b bit for bit (the sign of every
 * zero included; every NaN counts as one, see {@link FusedNodeChecks#assertBits}), over odd image
 * sizes, 1 and 3 channels in and out, kernels 1 and 3, strides 1 and 2, padding 0 and 1, pool
 * windows 1 to 3, with and without bias, special values among the inputs and the incoming
 * gradients, on one thread and on three.
 */
@Tag("kernels")
@ExtendWith(RestoresThreadCount.class)
class ConvReluMaxPoolFusedTest {

    @Test
    void equalsConvThenReluMaxPoolBitForBit() {
        int cases = 0;
        for (int threads : new int[] {1, 3}) {
            Parallel.setThreads(threads);
            for (int n : new int[] {1, 3})
                for (int c : new int[] {1, 3})
                    for (int o : new int[] {1, 5})
                        for (int size : new int[] {3, 7, 17})
                            for (int kernel : new int[] {1, 3})
                                for (int stride = 1; stride <= 2; stride++)
                                    for (int pad = 0; pad <= 1; pad++)
                                        for (int k = 1; k <= 3; k++) {
                                            if (k > (size + 2 * pad - kernel) / stride + 1) continue;
                                            Random rnd = new Random(Arrays.hashCode(new int[] {n, c, o, size, kernel, stride, pad, k}));
                                            compare(rnd, n, c, o, size, size + 2 * c, kernel, stride, pad, k, cases % 2 == 0, threads,
                                                    cases % 4 != 1, true);
                                            cases++;
                                        }
        }
        assertEquals(1056, cases);
    }

    /**
     * With x needing no gradient, a one-channel 3×3 convolution at stride 1 (the cnn's first
     * layer) takes ∂w and ∂b from the pool's gradient without ∂c: odd sizes, one to three k-blocks
     * of pixels, output channels around the vector widths (49: at 512 bits a pair of vectors, one
     * more and a lane), image counts around ConvKernel's
     * groups of 8, pool windows 1 to 3; then batches whose bias sums take the reduction's other
     * paths (a channel's values past the gathered buffer, and few channels with long sums).
     */
    @Test
    void weightAndBiasGradientsWithoutTheConvolutionsGradient() {
        int cases = 0;
        for (int threads : new int[] {1, 3}) {
            Parallel.setThreads(threads);
            for (int n : new int[] {1, 9})
                for (int o : new int[] {1, 3, 16, 17, 33, 49})
                    for (int size : new int[] {5, 17, 28})
                        for (int pad = 0; pad <= 2; pad++)
                            for (int k = 1; k <= 3; k++) {
                                Random rnd = new Random(Arrays.hashCode(new int[] {n, o, size, pad, k, 1}));
                                compare(rnd, n, 1, o, size, size + 3, 3, 1, pad, k, true, threads, false, cases % 3 == 0);
                                cases++;
                            }
        }
        assertEquals(648, cases);
        Random rnd = new Random(13);
        compare(rnd, 400, 1, 5, 28, 28, 3, 1, 1, 2, true, Parallel.threads(), false, false);
        compare(rnd, 200, 1, 2, 28, 28, 3, 1, 1, 2, true, Parallel.threads(), false, false);
    }

    /** Batches of several of ConvKernel's groups of 8 images, with ∂x (and without, for other shapes). */
    @Test
    void batchesOfSeveralGroups() {
        Random rnd = new Random(17);
        for (int threads : new int[] {1, 3}) {
            Parallel.setThreads(threads);
            compare(rnd, 19, 3, 5, 9, 11, 3, 2, 1, 2, true, threads, true, false);
            compare(rnd, 17, 16, 32, 14, 14, 3, 1, 1, 2, true, threads, true, false);
            compare(rnd, 17, 2, 4, 10, 10, 3, 1, 0, 2, true, threads, false, false);
            compare(rnd, 18, 1, 4, 12, 12, 3, 1, 1, 2, true, threads, true, true);
            compare(rnd, 19, 2, 3, 12, 12, 3, 1, 1, 3, false, threads, true, true);
        }
    }

    @Test
    void theCnnLayers() {
        Random rnd = new Random(11);
        compare(rnd, 5, 1, 16, 28, 28, 3, 1, 1, 2, true, Parallel.threads(), false, false);
        compare(rnd, 5, 1, 16, 28, 28, 3, 1, 1, 2, true, Parallel.threads(), true, true);
        compare(rnd, 5, 16, 32, 14, 14, 3, 1, 1, 2, true, Parallel.threads(), true, true);
    }

    @Test
    void sequentialFusesConvReluAndNonOverlappingPool() {
        Tensor x = values(new Random(5), 2, 1, 8, 8).requiresGrad(true);
        Conv2d conv = new Conv2d(1, 2, 3, 1, 1, true, 3);
        assertEquals("conv2dReluMaxPool2d", new Sequential(conv, new ReLU(), new MaxPool2d(2)).forward(x).gradFn().name());
        assertEquals("maxPool2d", new Sequential(conv, new ReLU(), new MaxPool2d(3, 2)).forward(x).gradFn().name(),
                "overlapping windows stay apart");
        assertEquals("reluMaxPool2d", new Sequential(conv, new MaxPool2d(1), new ReLU(), new MaxPool2d(2)).forward(x).gradFn().name());
    }

    @Test
    void float64RunsTheComposition() {
        Random rnd = new Random(7);
        Tensor x = values(rnd, 2, 2, 6, 6).to(DType.FLOAT64), w = values(rnd, 3, 2, 3, 3).to(DType.FLOAT64);
        assertArrayEquals(reluPool(x.conv2d(w, null, 1, 1), 2), ConvReluMaxPool2d.apply(x, w, null, 1, 1, 2).toDoubleArray());
    }

    @Test
    void aWindowLargerThanTheOutputIsRefusedAsThePoolRefusesIt() {
        Tensor x = Tensor.zeros(1, 1, 5, 5), w = Tensor.zeros(1, 1, 3, 3);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ConvReluMaxPool2d.apply(x, w, null, 1, 0, 4));
        IllegalArgumentException want = assertThrows(IllegalArgumentException.class,
                () -> dev.lethe.ops.MaxPool2d.afterRelu(x.conv2d(w, null, 1, 0), 4));
        assertEquals(want.getMessage(), e.getMessage());
    }

    private static double[] reluPool(Tensor c, int k) {
        return dev.lethe.ops.MaxPool2d.afterRelu(c, k).toDoubleArray();
    }

    /**
     * One case: x [n, c, h, w] (needing a gradient when {@code xGrad}), w [o, c, kernel, kernel],
     * inputs from {@link FusedNodeChecks#values} when {@code special}, else Gaussian (so that
     * NaN does not hide the sums of larger images).
     */
    private static void compare(Random rnd, int n, int c, int o, int h, int w, int kernel, int stride, int pad, int k,
            boolean withBias, int threads, boolean xGrad, boolean special) {
        String what = "x [" + n + ", " + c + ", " + h + ", " + w + "]" + (xGrad ? "" : " without gradient") + ", w [" + o + ", "
                + c + ", " + kernel + ", " + kernel + "], stride " + stride + ", pad " + pad + ", pool " + k
                + (withBias ? ", bias" : "") + (special ? ", special values" : "") + ", " + threads + " threads";
        Tensor x = inputs(rnd, special, n, c, h, w), wt = inputs(rnd, special, o, c, kernel, kernel);
        Tensor b = withBias ? inputs(rnd, special, o) : null;
        boolean wGrad = !(xGrad && special) || rnd.nextInt(4) > 0; // now and then a frozen w: ∂x alone
        what += wGrad ? "" : ", w frozen";
        Tensor xf = x.detach().requiresGrad(xGrad), wf = wt.detach().requiresGrad(wGrad), bf = b == null ? null : b.detach().requiresGrad(true);
        Tensor xc = x.detach().requiresGrad(xGrad), wc = wt.detach().requiresGrad(wGrad), bc = b == null ? null : b.detach().requiresGrad(true);
        Tensor fused = ConvReluMaxPool2d.apply(xf, wf, bf, stride, pad, k);
        Tensor composed = dev.lethe.ops.MaxPool2d.afterRelu(xc.conv2d(wc, bc, stride, pad), k);
        assertEquals("conv2dReluMaxPool2d", fused.gradFn().name(), what);
        assertArrayEquals(composed.shape(), fused.shape(), what);
        assertBits(composed.toFloatArray(), fused.toFloatArray(), true, what + " values");
        Tensor gt = special ? gradient(rnd, fused) : inputs(rnd, false, fused.shape());
        fused.backward(gt);
        composed.backward(gt);
        if (xGrad) assertBits(xc.grad().toFloatArray(), xf.grad().toFloatArray(), true, what + " ∂x");
        else assertNull(xf.grad(), what + " ∂x");
        if (wGrad) assertBits(wc.grad().toFloatArray(), wf.grad().toFloatArray(), true, what + " ∂w");
        else assertNull(wf.grad(), what + " ∂w");
        if (b != null) assertBits(bc.grad().toFloatArray(), bf.grad().toFloatArray(), true, what + " ∂b");
    }

    private static Tensor inputs(Random rnd, boolean special, int... shape) {
        if (special) return values(rnd, shape);
        float[] v = new float[Arrays.stream(shape).reduce(1, (a, b) -> a * b)];
        for (int i = 0; i < v.length; i++) v[i] = (float) rnd.nextGaussian();
        return Tensor.fromArray(v, shape);
    }
}
