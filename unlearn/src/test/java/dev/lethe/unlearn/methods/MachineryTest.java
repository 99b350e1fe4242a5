package dev.lethe.unlearn.methods;

import dev.lethe.data.DataLoader;
import dev.lethe.data.Dataset;
import dev.lethe.nn.Models;
import dev.lethe.nn.Module;
import dev.lethe.optim.SGD;
import dev.lethe.tensor.Device;
import dev.lethe.tensor.Tensor;
import dev.lethe.unlearn.UnlearnContext;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

/** The shared machinery the methods are written with: batches, gradients at fixed weights, KL, masks. */
class MachineryTest {
    private static Dataset numbered(int n) {
        float[] x = new float[n];
        int[] y = new int[n];
        for (int i = 0; i < n; i++) {
            x[i] = i;
            y[i] = i % 3;
        }
        return new Dataset(Tensor.fromArray(x, n, 1), y);
    }

    @Test
    void pairedBatchesWalkTheForgetSetOncePerEpochAndTheRetainSetOnAcrossEpochs() {
        DataLoader forget = Batches.shuffled(numbered(5), 2, 1, Device.CPU);
        Batches.RetainCycle retain = new Batches.RetainCycle(Batches.shuffled(numbered(7), 2, 2, Device.CPU));
        List<Integer> retainSeen = new ArrayList<>();
        for (int e = 0; e < 3; e++) {
            int forgetItems = 0;
            for (Batches.Paired p : Batches.paired(forget, retain, e)) {
                forgetItems += p.forget().size();
                for (int i : p.retain().indices()) retainSeen.add(i);
            }
            assertEquals(5, forgetItems, "epoch " + e + " visits D_f once");
        }
        // 9 steps took 4 full retain epochs' first batches: epoch 0 (4 batches), epoch 1 (4), epoch 2 (1 batch).
        DataLoader r = Batches.shuffled(numbered(7), 2, 2, Device.CPU);
        List<Integer> expected = new ArrayList<>();
        for (int e = 0; expected.size() < retainSeen.size(); e++) for (DataLoader.Batch b : r.epoch(e)) for (int i : b.indices()) expected.add(i);
        assertEquals(expected.subList(0, retainSeen.size()), retainSeen);
    }

    @Test
    void aSampleIsSeededDistinctAndInDataSetOrder() {
        Dataset d = numbered(100);
        Dataset s = Batches.sample(d, 0.3, 9);
        assertEquals(30, s.size());
        float[] x = s.inputs().toFloatArray();
        for (int i = 1; i < x.length; i++) assertTrue(x[i] > x[i - 1], "ascending and distinct");
        assertArrayEquals(x, Batches.sample(d, 0.3, 9).inputs().toFloatArray());
        assertFalse(java.util.Arrays.equals(x, Batches.sample(d, 0.3, 10).inputs().toFloatArray()));
        assertSame(d, Batches.sample(d, 1.0, 9));
        assertThrows(IllegalArgumentException.class, () -> Batches.sample(d, 0.0, 1));
    }

    @Test
    void randomLabelsCoverEveryClassIncludingTheTrueOne() {
        int[] labels = Batches.randomLabels(1000, 10, 4);
        int[] counts = new int[10];
        for (int l : labels) counts[l]++;
        for (int k = 0; k < 10; k++) assertTrue(counts[k] > 60 && counts[k] < 140, "class " + k + " drawn " + counts[k] + " times");
        assertArrayEquals(labels, Batches.randomLabels(1000, 10, 4));
    }

    @Test
    void streamSeedsDependOnContextSeedAndName() {
        UnlearnContext ctx = Fixture.ctx();
        assertEquals(Batches.seed(ctx, "rl"), Batches.seed(ctx, "rl"));
        assertNotEquals(Batches.seed(ctx, "rl"), Batches.seed(ctx, "ft"));
    }

    @Test
    void klIsZeroForEqualDistributionsAndMatchesTheFormula() {
        Tensor zt = Tensor.randn(1, 4, 5), zs = Tensor.randn(2, 4, 5);
        assertEquals(0, Distillation.kl(zt, zt, 4).item(), 1e-6);
        double t = 4, expected = 0;
        float[] pt = zt.div(t).softmax(1).toFloatArray(), ps = zs.div(t).softmax(1).toFloatArray();
        for (int i = 0; i < pt.length; i++) expected += pt[i] * (Math.log(pt[i]) - Math.log(ps[i]));
        assertEquals(expected / 4 * t * t, Distillation.kl(zt, zs, t).item(), 1e-5);
        assertThrows(IllegalArgumentException.class, () -> Distillation.kl(zt, zs, 0));
    }

    @Test
    void klGradientReachesTheStudentOnly() {
        Tensor zt = Tensor.randn(1, 3, 4).requiresGrad(true), zs = Tensor.randn(2, 3, 4).requiresGrad(true);
        Distillation.kl(zt, zs, 2).backward();
        assertNull(zt.grad());
        assertNotNull(zs.grad());
    }

    @Test
    void gradientSumOverBatchesIsTheSumOfBatchMeanGradients() {
        Module model = Models.mlp(1);
        Dataset d = Fixture.ctx().split().forget();
        Map<String, Tensor> whole = Gradients.sum(model, d, d.size(), BatchLoss.CROSS_ENTROPY);
        Map<String, Tensor> halves = Gradients.sum(model, d, d.size() / 2, BatchLoss.CROSS_ENTROPY);
        // Two equal halves: Σ of two half-batch means = 2·(whole-batch mean).
        whole.forEach((k, g) -> {
            float[] a = g.mul(2).toFloatArray(), b = halves.get(k).toFloatArray();
            for (int i = 0; i < a.length; i++) assertEquals(a[i], b[i], 1e-5 + 1e-4 * Math.abs(a[i]), k);
        });
        assertTrue(model.isTraining(), "mode restored");
        for (Tensor p : model.parameters()) assertNull(p.grad(), "gradients cleared");
    }

    @Test
    void masksMultiplyTheWeightsAndFreezeTheZeros() {
        Module model = Models.mlp(2);
        Tensor w = model.namedParameters().get("1.weight");
        Tensor m = Tensor.rand(3, w.shape()).gt(0.5).to(dev.lethe.tensor.DType.FLOAT32);
        Map<String, Tensor> masks = Map.of("1.weight", m);
        Sparsity.apply(model, masks);
        SGD sgd = new SGD(model.parameters(), 0.1, 0.9, 0, false, 0.01);
        Sparsity.constrain(sgd, model, masks);
        for (int step = 0; step < 3; step++) {
            sgd.zeroGrad();
            model.forward(Tensor.randn(step, 4, 784)).crossEntropy(0, 1, 2, 3).backward();
            sgd.step();
        }
        float[] wv = w.toFloatArray(), mv = m.toFloatArray();
        for (int i = 0; i < wv.length; i++) if (mv[i] == 0) assertEquals(0f, wv[i]);
    }

    @Test
    void maskErrorsNameTheParameter() {
        Module model = Models.mlp(2);
        var e = assertThrows(IllegalArgumentException.class, () -> Sparsity.apply(model, Map.of("nope", Tensor.ones(3))));
        assertTrue(e.getMessage().contains("'nope'"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Sparsity.apply(model, Map.of("1.bias", Tensor.ones(3))));
        assertTrue(e.getMessage().contains("[3]") && e.getMessage().contains("[256]"), e.getMessage());
    }

    @Test
    void intersectingMasksMultipliesThemNameByName() {
        LinkedHashMap<String, Tensor> a = new LinkedHashMap<>(Map.of("x", Tensor.fromArray(new float[] {1, 1, 0}, 3)));
        Map<String, Tensor> b = Map.of("x", Tensor.fromArray(new float[] {1, 0, 1}, 3), "y", Tensor.ones(2));
        Map<String, Tensor> c = Sparsity.intersect(a, b);
        assertArrayEquals(new float[] {1, 0, 0}, c.get("x").toFloatArray());
        assertArrayEquals(new float[] {1, 1}, c.get("y").toFloatArray());
    }
}
