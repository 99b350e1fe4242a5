package dev.lethe.unlearn.methods;

import dev.lethe.backend.TestDeviceProvider;
import dev.lethe.backend.TestDeviceSurgeryKernels;
import dev.lethe.data.Dataset;
import dev.lethe.nn.Linear;
import dev.lethe.nn.Module;
import dev.lethe.surgery.FisherDiagonal;
import dev.lethe.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Gradients at fixed weights on a device (the test device, the CPU's kernels): the sums and
 * Fisher diagonals are the CPU's bits, and each batch's memory goes back as the batch ends.
 * The test device poisons what it releases and refuses to use it, so a running sum made inside
 * a batch's scope would fail here.
 */
class GradientsOnDeviceTest {
    private static Dataset data() {
        return SmallNet.data(5, 45);
    }

    private static Module net() {
        return SmallNet.net();
    }

    @Test
    void sumsAreTheCpusAndEachBatchIsReleased() {
        Module cpu = net(), dev = net().to(TestDeviceProvider.DEV0);
        Map<String, Tensor> a = Gradients.sum(cpu, data(), 8, BatchLoss.NEGATIVE_CROSS_ENTROPY);
        int before = TestDeviceProvider.releases();
        Map<String, Tensor> b = Gradients.sum(dev, data(), 8, BatchLoss.NEGATIVE_CROSS_ENTROPY);
        assertTrue(TestDeviceProvider.releases() - before >= 6 * 10, "each of the 6 batches released its memory");
        assertEquals(a.keySet(), b.keySet());
        for (String k : a.keySet()) {
            assertEquals(TestDeviceProvider.DEV0, b.get(k).device(), k);
            assertArrayEquals(a.get(k).toFloatArray(), b.get(k).toFloatArray(), k);
        }
        for (Tensor p : dev.parameters()) assertNull(p.grad(), "no gradient is left behind");
    }

    @Test
    void fisherDiagonalsAreTheCpus() {
        Module cpu = net(), dev = net().to(TestDeviceProvider.DEV0);
        List<Tensor> a = fisher(cpu), b = fisher(dev);
        for (int t = 0; t < a.size(); t++) {
            assertEquals(TestDeviceProvider.DEV0, b.get(t).device());
            assertArrayEquals(a.get(t).toFloatArray(), b.get(t).toFloatArray(), "importance " + t);
        }
    }

    /** SmallNet and a layer the loss never reaches. */
    private static final class WithIdleLayer extends Module {
        private final Module used;

        WithIdleLayer() {
            used = registerModule("used", SmallNet.net());
            registerModule("idle", new Linear(6, 2, 7));
        }

        @Override
        public Tensor forward(Tensor x) {
            return used.forward(x);
        }
    }

    @Test
    void aParameterTheLossMissesGetsZerosOnItsDevice() {
        Module cpu = new WithIdleLayer(), dev = new WithIdleLayer().to(TestDeviceProvider.DEV0);
        Map<String, Tensor> a = Gradients.sum(cpu, data(), 8, BatchLoss.CROSS_ENTROPY), b = Gradients.sum(dev, data(), 8, BatchLoss.CROSS_ENTROPY);
        for (String k : List.of("idle.weight", "idle.bias")) {
            assertEquals(TestDeviceProvider.DEV0, b.get(k).device(), k);
            assertArrayEquals(new float[b.get(k).numel()], b.get(k).toFloatArray(), k);
        }
        for (String k : a.keySet()) assertArrayEquals(a.get(k).toFloatArray(), b.get(k).toFloatArray(), k);
        int calls = TestDeviceSurgeryKernels.CALLS.get();
        List<Tensor> fc = fisher(cpu), fd = fisher(dev);
        assertTrue(TestDeviceSurgeryKernels.CALLS.get() > calls, "every gradient on the device: the device's Fisher pass ran");
        for (int t = 0; t < fc.size(); t++) assertArrayEquals(fc.get(t).toFloatArray(), fd.get(t).toFloatArray(), "importance " + t);
    }

    private static List<Tensor> fisher(Module model) {
        FisherDiagonal f = new FisherDiagonal(model.parameters());
        Gradients.perBatch(model, data(), 8, BatchLoss.CROSS_ENTROPY, g -> f.accumulate(new ArrayList<>(g.values())));
        return f.importance();
    }
}
