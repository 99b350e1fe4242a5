package dev.lethe.nn;

import dev.lethe.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.*;

/** The layers against hand computation: forward values, initialisation, train/eval behaviour. */
class LayersTest {

    @Test
    void linearComputesXWTransposedPlusBias() {
        Linear l = new Linear(3, 2, 5);
        Tensor x = Tensor.randn(1, 4, 3);
        float[] y = l.forward(x).toFloatArray();
        for (int n = 0; n < 4; n++) {
            for (int o = 0; o < 2; o++) {
                double want = l.bias().get(o);
                for (int i = 0; i < 3; i++) want += x.get(n, i) * l.weight().get(o, i);
                assertEquals(want, y[n * 2 + o], 1e-6);
            }
        }
        assertArrayEquals(new int[] {2, 3}, l.weight().shape(), "PyTorch layout [out, in]");
        var e = assertThrows(IllegalArgumentException.class, () -> l.forward(Tensor.zeros(4, 5)));
        assertTrue(e.getMessage().contains("[4, 5]"), e.getMessage());
    }

    /** All values inside ±bound, and the extremes close to it (so the bound is the right one, not a smaller one). */
    private static void assertUniformWithin(Tensor t, double bound) {
        double lo = Double.MAX_VALUE, hi = -Double.MAX_VALUE;
        for (float v : t.toFloatArray()) {
            lo = Math.min(lo, v);
            hi = Math.max(hi, v);
        }
        assertTrue(lo >= -bound && hi <= bound, "range [" + lo + ", " + hi + "] exceeds ±" + bound);
        assertTrue(lo < -0.9 * bound && hi > 0.9 * bound, "range [" + lo + ", " + hi + "] does not fill ±" + bound);
    }

    @Test
    void linearAndConvInitialiseLikePyTorchAndReproduceFromTheSeed() {
        Linear l = new Linear(50, 40, 11);
        assertUniformWithin(l.weight(), 1 / Math.sqrt(50));
        assertUniformWithin(new Linear(50, 400, 11).bias(), 1 / Math.sqrt(50));
        Conv2d c = new Conv2d(3, 64, 3, 1, 1, true, 11);
        assertUniformWithin(c.weight(), 1 / Math.sqrt(27));
        assertUniformWithin(new Conv2d(3, 400, 3, 1, 1, true, 11).bias(), 1 / Math.sqrt(27));

        assertArrayEquals(l.weight().toFloatArray(), new Linear(50, 40, 11).weight().toFloatArray());
        assertFalse(Arrays.equals(l.weight().toFloatArray(), new Linear(50, 40, 12).weight().toFloatArray()));
        assertNotEquals(l.weight().get(0, 0) * Math.sqrt(50), l.bias().get(0) * Math.sqrt(50), 1e-9,
                "weight and bias draw from different sub-streams");
        assertNull(new Conv2d(3, 4, 3, 1, 1, false, 0).bias());
    }

    @Test
    void initialisersFollowTheirFormulas() {
        assertEquals(1 / Math.sqrt(27), Init.leakyReluGain(Init.DEFAULT_A) * Math.sqrt(3.0 / Init.fanIn(8, 3, 3, 3)), 1e-15);
        assertUniformWithin(Init.xavierUniform(1, 1.0, 30, 20), Math.sqrt(6.0 / 50));
        float[] k = Init.kaimingNormal(1, 0, 200, 100).toFloatArray();
        double ss = 0;
        for (float v : k) ss += v * v;
        assertEquals(2.0 / 100, ss / k.length, 0.02 * 0.05, "kaiming normal variance 2/fan_in");
        var e = assertThrows(IllegalArgumentException.class, () -> Init.fanIn(5));
        assertTrue(e.getMessage().contains("[5]"));
    }

    @Test
    void dropoutDrawsAFreshDeterministicMaskEachTrainingForwardAndIsTheIdentityInEval() {
        Tensor x = Tensor.ones(1000);
        Dropout d = new Dropout(0.25, 3);
        float[] first = d.forward(x).toFloatArray(), second = d.forward(x).toFloatArray();
        assertFalse(Arrays.equals(first, second));
        long zeros = 0;
        for (float v : first) {
            assertTrue(v == 0f || v == (float) (1 / 0.75));
            if (v == 0) zeros++;
        }
        assertEquals(250, zeros, 40);
        Dropout replay = new Dropout(0.25, 3);
        assertArrayEquals(first, replay.forward(x).toFloatArray());
        assertArrayEquals(second, replay.forward(x).toFloatArray());
        d.eval();
        assertSame(x, d.forward(x));
        assertEquals(2, d.calls(), "eval forwards draw no mask");
        assertThrows(IllegalArgumentException.class, () -> new Dropout(1.0, 0));
    }

    @Test
    void batchNorm1dNormalisesWithBatchStatisticsAndUpdatesRunningStatsLikePyTorch() {
        double[] xs = {1, 10, -2, 3, 20, 0, 5, 30, 4, 7, 60, 2};
        Tensor x = Tensor.fromArray(xs, 4, 3).to(dev.lethe.tensor.DType.FLOAT32);
        BatchNorm1d bn = new BatchNorm1d(3);
        float[] y = bn.forward(x).toFloatArray();
        for (int c = 0; c < 3; c++) {
            double mean = 0, ss = 0;
            for (int n = 0; n < 4; n++) mean += xs[n * 3 + c] / 4;
            for (int n = 0; n < 4; n++) ss += (xs[n * 3 + c] - mean) * (xs[n * 3 + c] - mean);
            for (int n = 0; n < 4; n++) assertEquals((xs[n * 3 + c] - mean) / Math.sqrt(ss / 4 + 1e-5), y[n * 3 + c], 1e-5);
            assertEquals(0.1 * mean, bn.runningMean().get(c), 1e-5);
            assertEquals(0.9 + 0.1 * ss / 3, bn.runningVar().get(c), 1e-4, "running variance uses the unbiased estimate");
        }
        bn.forward(x);
        assertEquals(2, bn.stateDict().get("num_batches_tracked").item());
        bn.eval();
        double rm = bn.runningMean().get(1), rv = bn.runningVar().get(1);
        assertEquals((10 - rm) / Math.sqrt(rv + 1e-5), bn.forward(x).get(0, 1), 1e-5, "eval uses the running statistics");
        assertEquals(2, bn.stateDict().get("num_batches_tracked").item(), "eval leaves the statistics alone");
    }

    @Test
    void batchNorm2dTakesStatisticsPerChannelOverBatchAndSpace() {
        Tensor x = Tensor.randn(4, 3, 2, 5, 5).mul(3).add(1);
        BatchNorm2d bn = new BatchNorm2d(2);
        Tensor y = bn.forward(x);
        for (int c = 0; c < 2; c++) {
            Tensor yc = y.narrow(1, c, 1);
            assertEquals(0, yc.mean().item(), 1e-5);
            assertEquals(1, yc.var(new int[0], false, 0).item(), 1e-3);
            assertEquals(0.1 * x.narrow(1, c, 1).mean().item(), bn.runningMean().get(c), 1e-6);
            assertEquals(0.9 + 0.1 * x.narrow(1, c, 1).var().item(), bn.runningVar().get(c), 1e-4);
        }
        var e = assertThrows(IllegalArgumentException.class, () -> bn.forward(Tensor.zeros(3, 2, 4)));
        assertTrue(e.getMessage().contains("[3, 2, 4]"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new BatchNorm1d(3).forward(Tensor.zeros(1, 3)), "one value per channel");
    }

    @Test
    void layerNormEmbeddingAndActivations() {
        Tensor x = Tensor.randn(9, 2, 3, 4);
        Tensor y = new LayerNorm(4).forward(x);
        assertEquals(0, y.narrow(0, 1, 1).narrow(1, 2, 1).mean().item(), 1e-6);
        Embedding emb = new Embedding(5, 3, 1);
        Tensor ids = Tensor.fromArray(new float[] {4, 0}, 2);
        assertArrayEquals(emb.weight().narrow(0, 4, 1).toFloatArray(), emb.forward(ids).narrow(0, 0, 1).toFloatArray());
        Tensor z = Tensor.fromArray(new float[] {-1, 2}, 2);
        assertArrayEquals(new float[] {0, 2}, new ReLU().forward(z).toFloatArray());
        assertArrayEquals(z.tanh().toFloatArray(), new Tanh().forward(z).toFloatArray());
        assertArrayEquals(z.gelu().toFloatArray(), new GELU().forward(z).toFloatArray());
        assertArrayEquals(new int[] {2, 12}, new Flatten().forward(x).shape());
        assertArrayEquals(new int[] {2, 3}, new GlobalAvgPool().forward(Tensor.zeros(2, 3, 4, 4)).shape());
        assertArrayEquals(new int[] {1, 1, 2, 2}, new MaxPool2d(2).forward(Tensor.zeros(1, 1, 4, 5)).shape());
        assertArrayEquals(new int[] {1, 1, 2, 2}, new AvgPool2d(2).forward(Tensor.zeros(1, 1, 4, 4)).shape());
    }

    @Test
    void modelZooShapesAndParameterCounts() {
        Tensor images = Tensor.randn(5, 3, 1, 28, 28);
        assertArrayEquals(new int[] {3, 10}, Models.mlp(0).forward(images).shape());
        assertArrayEquals(new int[] {3, 10}, Models.mlp(0).forward(images.reshape(3, 784)).shape());
        assertArrayEquals(new int[] {3, 10}, Models.cnn(0).forward(images).shape());
        Module resnet = Models.byName("resnet-mini", 0);
        assertArrayEquals(new int[] {3, 10}, resnet.forward(images).shape());
        assertArrayEquals(new int[] {3, 10}, resnet.eval().forward(images).shape());

        assertEquals(235146, Models.byName("mlp", 0).numParameters());
        assertEquals(16 * 9 + 16 + 32 * 16 * 9 + 32 + 1568 * 10 + 10, Models.byName("cnn", 0).numParameters());
        // stem 144 + BN 32; two 16→16 blocks of 2·2304 + 2·32; 16→32 block 4608 + 64 + 9216 + 64 + projection 512 + 64; linear 330
        assertEquals(144 + 32 + 2 * (2 * 2304 + 2 * 32) + (4608 + 64 + 9216 + 64 + 512 + 64) + 330, resnet.numParameters());

        var e = assertThrows(IllegalArgumentException.class, () -> Models.byName("vgg", 0));
        assertTrue(e.getMessage().contains("'vgg'") && e.getMessage().contains("mlp, cnn, resnet-mini"), e.getMessage());
    }

    @Test
    void modelsAreAPureFunctionOfTheSeed() {
        assertEquals(Models.cnn(9).stateDict().keySet(), Models.cnn(9).stateDict().keySet());
        var a = Models.cnn(9).parameters();
        var b = Models.cnn(9).parameters();
        for (int i = 0; i < a.size(); i++) assertArrayEquals(a.get(i).toFloatArray(), b.get(i).toFloatArray());
        assertFalse(Arrays.equals(a.get(0).toFloatArray(), Models.cnn(10).parameters().get(0).toFloatArray()));
    }
}
