package dev.lethe.train;

import dev.lethe.backend.TestDeviceProvider;
import dev.lethe.data.Dataset;
import dev.lethe.nn.BatchNorm1d;
import dev.lethe.nn.Linear;
import dev.lethe.nn.Module;
import dev.lethe.nn.ReLU;
import dev.lethe.nn.Sequential;
import dev.lethe.tensor.Tensor;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Inference on a device (the test device, the CPU's kernels) gives the CPU's predictions and
 * probabilities bit for bit, and each batch's device memory goes back as the batch ends (the
 * test device poisons what it releases, so a result read after its release would show).
 */
class EvaluationOnDeviceTest {
    private static Dataset data(int n) {
        Tensor x = Tensor.randn(3, n, 6);
        int[] y = new int[n];
        for (int i = 0; i < n; i++) y[i] = (i * 5 + 1) % 4;
        return new Dataset(x, y);
    }

    private static Module net() {
        return new Sequential(new Linear(6, 9, 5), new BatchNorm1d(9), new ReLU(), new Linear(9, 4, 6));
    }

    @Test
    void theDevicesOutputsAreTheCpusAndEachBatchIsReleased() {
        Dataset d = data(2 * Evaluation.BATCH + 37); // three batches, the last one short
        Module cpu = net(), dev = net().to(TestDeviceProvider.DEV0);
        Evaluation.Outputs a = Evaluation.outputs(cpu, d);
        int before = TestDeviceProvider.releases();
        Evaluation.Outputs b = Evaluation.outputs(dev, d);
        assertTrue(TestDeviceProvider.releases() - before >= 3 * 5, "each batch's input, activations and outputs went back");
        assertArrayEquals(a.predictions(), b.predictions());
        for (int i = 0; i < d.size(); i++) assertArrayEquals(a.probabilities()[i], b.probabilities()[i], "sample " + i);
        assertEquals(Evaluation.accuracy(cpu, d), Evaluation.accuracy(dev, d));
        for (Tensor p : dev.parameters()) assertTrue(Float.isFinite(p.toFloatArray()[0]), "the parameters are not released");
    }
}
