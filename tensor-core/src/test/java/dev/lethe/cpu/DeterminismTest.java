package dev.lethe.cpu;

import dev.lethe.autograd.NoGrad;
import dev.lethe.tensor.Tensor;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Results are bitwise identical whatever the thread count: {@link Parallel} cuts work into
 * chunks chosen from the shape alone and combines partial results in chunk order. Every
 * computation here is large enough to be split into chunks (above {@link
 * StridedLoop#SERIAL_LIMIT}), is run with 1, 2 and 3 threads, and must give the same bits.
 */
@Tag("kernels")
@ExtendWith(RestoresThreadCount.class)
class DeterminismTest {
    private static final int[] THREADS = {1, 2, 3};

    /** Runs {@code computation} under each thread count and asserts every output is bit-for-bit the same. */
    private static void assertSameBitsForEveryThreadCount(String what, Supplier<List<Tensor>> computation) {
        List<float[]> first = null;
        for (int threads : THREADS) {
            Parallel.setThreads(threads);
            List<float[]> now = new ArrayList<>();
            for (Tensor t : computation.get()) now.add(t.toFloatArray());
            if (first == null) {
                first = now;
                continue;
            }
            assertEquals(first.size(), now.size());
            for (int k = 0; k < now.size(); k++) {
                float[] a = first.get(k), b = now.get(k);
                assertEquals(a.length, b.length);
                for (int i = 0; i < a.length; i++) {
                    if (Float.floatToRawIntBits(a[i]) != Float.floatToRawIntBits(b[i])) {
                        fail(what + ": output " + k + " element " + i + " is " + b[i] + " with " + threads
                                + " threads but " + a[i] + " with " + THREADS[0]);
                    }
                }
            }
        }
    }

    @Test
    void largeElementwiseOps() {
        Tensor x = Tensor.randn(1, 1_000_003), m = Tensor.randn(2, 1001, 999);
        Tensor row = Tensor.randn(3, 999), col = Tensor.randn(4, 1001, 1);
        assertSameBitsForEveryThreadCount("elementwise", () -> List.of(
                x.exp(), x.mul(0.37).add(1.25).log(), m.t().exp(),
                m.add(row), m.mul(col), m.div(row.exp()), m.t().sub(col.t())));
    }

    @Test
    void largeReductions() {
        Tensor x = Tensor.randn(5, 1_000_003);
        Tensor square = Tensor.randn(6, 1000, 1001), wide = Tensor.randn(7, 50, 40_000), longRows = Tensor.randn(8, 3, 300_001);
        assertSameBitsForEveryThreadCount("reductions", () -> List.of(
                x.sum(), x.max(), x.min(),
                square.sum(new int[] {0}, false), square.sum(new int[] {1}, false), square.t().sum(new int[] {1}, true),
                wide.sum(new int[] {0}, false), wide.max(new int[] {0}, false), wide.sum(new int[] {1}, false),
                longRows.sum(new int[] {1}, false), longRows.sum(new int[] {0}, false)));
    }

    @Test
    void matmulOfManyTiles() {
        Tensor a = Tensor.randn(9, 300, 257), b = Tensor.randn(10, 257, 190);
        assertSameBitsForEveryThreadCount("matmul", () -> List.of(a.matmul(b), a.t().t().matmul(b.t().contiguous().t())));
    }

    /**
     * Three SGD steps of a 2-layer MLP, out = softplus(x·W₁ + b₁)·W₂ + b₂ with softplus(h) =
     * ln(1 + eʰ) and a mean squared error: forward, backward and the in-place updates must all
     * be reproducible, so the weights and last gradients are compared bit for bit.
     */
    @Test
    void mlpTrainingSteps() {
        assertSameBitsForEveryThreadCount("MLP training", DeterminismTest::trainMlp);
        // Identical bits would prove little if training had produced NaNs or no gradient at all.
        for (Tensor t : trainMlp()) {
            for (float v : t.toFloatArray()) assertTrue(Float.isFinite(v), "training stays finite");
        }
        double g = 0;
        for (float v : trainMlp().get(4).toFloatArray()) g += Math.abs(v);
        assertTrue(g > 0, "W1 receives a gradient");
    }

    private static List<Tensor> trainMlp() {
        Tensor x = Tensor.randn(11, 256, 64), y = Tensor.randn(12, 256, 8);
        Tensor w1 = Tensor.randn(13, 64, 160).mul(0.1).requiresGrad(true);
        Tensor b1 = Tensor.zeros(160).requiresGrad(true);
        Tensor w2 = Tensor.randn(14, 160, 8).mul(0.1).requiresGrad(true);
        Tensor b2 = Tensor.zeros(8).requiresGrad(true);
        List<Tensor> params = List.of(w1, b1, w2, b2);
        List<Tensor> lastGrads = new ArrayList<>();
        for (int step = 0; step < 3; step++) {
            Tensor h = x.matmul(w1).add(b1);
            Tensor out = h.exp().add(1.0).log().matmul(w2).add(b2);
            Tensor d = out.sub(y);
            d.mul(d).mean().backward();
            lastGrads.clear();
            try (NoGrad g = NoGrad.enter()) {
                for (Tensor p : params) {
                    lastGrads.add(p.grad());
                    p.addScaled_(p.grad(), -0.05);
                    p.zeroGrad();
                }
            }
        }
        List<Tensor> all = new ArrayList<>(params);
        all.addAll(lastGrads);
        return all;
    }
}
