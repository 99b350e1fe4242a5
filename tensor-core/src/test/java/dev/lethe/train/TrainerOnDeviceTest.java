package dev.lethe.train;

import dev.lethe.backend.TestDeviceProvider;
import dev.lethe.data.Dataset;
import dev.lethe.nn.BatchNorm1d;
import dev.lethe.nn.Linear;
import dev.lethe.nn.Module;
import dev.lethe.nn.ReLU;
import dev.lethe.nn.Sequential;
import dev.lethe.tensor.Device;
import dev.lethe.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The trainer on a device (the test device: its kernels are the CPU's) gathers its batches
 * there, releases each step's memory as the step ends, and ends with the CPU's bits: the same
 * order, the same steps, the same weights and last gradients. The test device poisons released
 * memory and its storage refuses use after release, so a step that released something still
 * needed would fail here.
 */
class TrainerOnDeviceTest {
    private static Dataset data(int n, int features, int classes) {
        Tensor x = Tensor.randn(11, n, features);
        int[] y = new int[n];
        for (int i = 0; i < n; i++) y[i] = (i * 7 + 3) % classes;
        return new Dataset(x, y);
    }

    private static Module net() {
        return new Sequential(new Linear(6, 9, 5), new ReLU(), new Linear(9, 4, 6));
    }

    /** With BatchNorm, whose running statistics are buffers updated in place during the step. */
    private static Module normalised() {
        return new Sequential(new Linear(6, 9, 5), new BatchNorm1d(9), new ReLU(), new Linear(9, 4, 6));
    }

    /** The same model trained on the CPU and on the test device, with how many device memories were released. */
    private record Trained(Module cpu, Module dev, List<EpochResult> onCpu, List<EpochResult> onDev, int released) {
        static Trained of(Supplier<Module> make, Dataset train, Recipe recipe) {
            Module cpu = make.get(), dev = make.get().to(TestDeviceProvider.DEV0);
            List<EpochResult> onCpu = new Trainer(cpu, train, recipe).fit(null, s -> { }, r -> { });
            int before = TestDeviceProvider.releases();
            List<EpochResult> onDev = new Trainer(dev, train, recipe).fit(null, s -> { }, r -> { });
            return new Trained(cpu, dev, onCpu, onDev, TestDeviceProvider.releases() - before);
        }
    }

    @Test
    void onTheTestDeviceTheEpochsAndWeightsAreTheCpusBits() {
        Trained t = Trained.of(TrainerOnDeviceTest::net, data(37, 6, 4), new Recipe(3, 8, 0.1, Recipe.Schedule.CONSTANT, 0.9, 1e-4, 21));
        Module cpu = t.cpu(), dev = t.dev();
        List<EpochResult> onCpu = t.onCpu(), onDev = t.onDev();
        assertTrue(t.released() > 100, "each step released its memory");
        for (int e = 0; e < onCpu.size(); e++) {
            assertEquals(onCpu.get(e).loss(), onDev.get(e).loss(), "epoch " + e + " loss");
            assertEquals(onCpu.get(e).trainAccuracy(), onDev.get(e).trainAccuracy(), "epoch " + e + " accuracy");
        }
        List<Tensor> a = cpu.parameters(), b = dev.parameters();
        for (int k = 0; k < a.size(); k++) {
            assertEquals(TestDeviceProvider.DEV0, b.get(k).device());
            assertArrayEquals(a.get(k).toFloatArray(), b.get(k).to(Device.CPU).toFloatArray(), "parameter " + k);
            assertArrayEquals(a.get(k).grad().toFloatArray(), b.get(k).grad().toFloatArray(), "the last step's gradient of parameter " + k);
        }
    }

    /**
     * BatchNorm's running statistics survive the steps' scopes. Not bitwise: float32 BatchNorm
     * on the CPU is one fused kernel, on a device the composition of mean, var and elementwise
     * ops, which rounds differently (so the CPU comparison is to 1e-5).
     */
    @Test
    void batchNormBuffersAndGradientsOutliveTheSteps() {
        Trained t = Trained.of(TrainerOnDeviceTest::normalised, data(29, 6, 4), new Recipe(2, 8, 0.1, Recipe.Schedule.CONSTANT, 0.9, 0, 3));
        Module cpu = t.cpu(), dev = t.dev();
        List<EpochResult> onCpu = t.onCpu(), onDev = t.onDev();
        for (int e = 0; e < onCpu.size(); e++) assertEquals(onCpu.get(e).loss(), onDev.get(e).loss(), 1e-5, "epoch " + e + " loss");
        List<Tensor> ra = List.copyOf(cpu.namedBuffers().values()), rb = List.copyOf(dev.namedBuffers().values());
        for (int k = 0; k < ra.size(); k++) assertArrayEquals(ra.get(k).toFloatArray(), rb.get(k).toFloatArray(), 1e-5f, "buffer " + k);
        List<Tensor> a = cpu.parameters(), b = dev.parameters();
        for (int k = 0; k < a.size(); k++) assertArrayEquals(a.get(k).grad().toFloatArray(), b.get(k).grad().toFloatArray(), 1e-4f, "gradient " + k);
    }

    /** The steps read nothing back (no loss, no predictions): the epoch's tally comes back once, at its end. */
    @Test
    void theStepsReadNothingBackTillTheEpochEnds() {
        Module dev = net().to(TestDeviceProvider.DEV0);
        List<Integer> downloads = new ArrayList<>();
        List<EpochResult> r = new Trainer(dev, data(37, 6, 4), new Recipe(1, 8, 0.1, Recipe.Schedule.CONSTANT, 0.9, 0, 5))
                .fit(null, s -> downloads.add(TestDeviceProvider.downloads()), e -> { });
        assertEquals(5, downloads.size());
        assertEquals(downloads.get(0), downloads.get(4), "downloads between the first and the last step");
        assertTrue(Double.isFinite(r.get(0).loss()) && r.get(0).trainAccuracy() >= 0);
    }

    /** Parameter masks (made on the device at the first step) and a gradient the caller set survive the steps' scopes. */
    @Test
    void masksAndACallersGradientOutliveTheSteps() {
        Dataset train = data(21, 6, 4);
        Recipe recipe = new Recipe(2, 8, 0.1, Recipe.Schedule.CONSTANT, 0.9, 0, 9);
        Module cpu = net();
        Module dev = net().to(TestDeviceProvider.DEV0);
        float[] m = new float[9 * 6];
        for (int j = 0; j < m.length; j++) m[j] = j % 3 == 0 ? 0 : 1;
        Tensor mask = Tensor.fromArray(m, 9, 6);
        Tensor callers = Tensor.ones(9, 6).to(TestDeviceProvider.DEV0);
        dev.parameters().get(0).setGrad(callers);
        Trainer onCpu = new Trainer(cpu, train, recipe), onDev = new Trainer(dev, train, recipe);
        onCpu.optimizer().setMask(cpu.parameters().get(0), mask);
        onDev.optimizer().setMask(dev.parameters().get(0), mask);
        onCpu.fit(null, s -> { }, r -> { });
        onDev.fit(null, s -> { }, r -> { });
        assertArrayEquals(cpu.parameters().get(0).toFloatArray(), dev.parameters().get(0).toFloatArray(), "the masked weight");
        assertArrayEquals(new float[9 * 6], subtract(dev.parameters().get(0), net().parameters().get(0), m), "masked entries never moved");
        assertEquals(54.0, callers.sum().item(), "the caller's gradient was not the trainer's to release");
    }

    /** θ − θ₀ where the mask is 0 (0 elsewhere). */
    private static float[] subtract(Tensor trained, Tensor initial, float[] mask) {
        float[] a = trained.toFloatArray(), b = initial.toFloatArray(), d = new float[a.length];
        for (int j = 0; j < a.length; j++) d[j] = mask[j] == 0 ? a[j] - b[j] : 0;
        return d;
    }

    /** A model whose forward throws while {@link #fail} is set. */
    private static final class Flaky extends Module {
        private final Module inner;
        boolean fail;

        Flaky(Module inner) {
            this.inner = registerModule("inner", inner);
        }

        @Override
        public Tensor forward(Tensor x) {
            if (fail) throw new IllegalStateException("flaky forward");
            return inner.forward(x);
        }
    }

    /** A step that throws keeps the caller's gradient the caller's: the steps after it never release it. */
    @Test
    void aFailedStepLeavesTheCallersGradientAlone() {
        Flaky model = new Flaky(net().to(TestDeviceProvider.DEV0));
        Tensor callers = Tensor.ones(9, 6).to(TestDeviceProvider.DEV0);
        model.parameters().get(0).setGrad(callers);
        Trainer trainer = new Trainer(model, data(16, 6, 4), new Recipe(1, 8, 0.1, Recipe.Schedule.CONSTANT, 0.9, 0, 2));
        model.fail = true;
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> trainer.epoch(0, null, s -> { }));
        assertEquals("flaky forward", e.getMessage());
        model.fail = false;
        trainer.epoch(1, null, s -> { });
        assertEquals(54.0, callers.sum().item(), "still readable after two steps");
    }
}
