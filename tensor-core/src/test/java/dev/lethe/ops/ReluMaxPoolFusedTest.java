package dev.lethe.ops;

import dev.lethe.cpu.Parallel;
import dev.lethe.cpu.RestoresThreadCount;
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
 * maxPool2d(relu(x)) as one node ({@link dev.lethe.ops.MaxPool2d#afterRelu}) against relu
 * then maxPool2d as two: values and gradients bit for bit (the sign of every zero included),
 * on odd sizes (rows of 33 2×2 windows: whole vectors and a part of one at every width), every
 * window that does not overlap, ties, all-negative windows, ±0, ±∞ and
 * NaN in x, negative, zero and NaN gradients, a non-contiguous input, one and three threads.
 */
@Tag("kernels")
@ExtendWith(RestoresThreadCount.class)
class ReluMaxPoolFusedTest {

    @Test
    void equalsReluThenMaxPoolBitForBit() {
        int cases = 0;
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

    private static void compare(Tensor x, int k, Random rnd, int threads) {
        String what = Arrays.toString(x.shape()) + " k " + k + ", " + threads + " threads";
        Tensor xf = x.detach().requiresGrad(true), xc = x.detach().requiresGrad(true);
        Tensor fused = dev.lethe.ops.MaxPool2d.afterRelu(xf, k), composed = xc.relu().maxPool2d(k);
        assertEquals("reluMaxPool2d", fused.gradFn().name(), what);
        assertArrayEquals(composed.shape(), fused.shape(), what);
        assertBits(composed.toFloatArray(), fused.toFloatArray(), false, what + " values");
        Tensor gt = gradient(rnd, fused);
        fused.backward(gt);
        composed.backward(gt);
        assertBits(xc.grad().toFloatArray(), xf.grad().toFloatArray(), false, what + " gradient");
    }
}
