package dev.lethe.train;

import dev.lethe.backend.TestDeviceProvider;
import dev.lethe.data.Dataset;
import dev.lethe.nn.Linear;
import dev.lethe.nn.Module;
import dev.lethe.nn.ReLU;
import dev.lethe.nn.Sequential;
import dev.lethe.tensor.Device;
import dev.lethe.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The trainer on a device (the test device: its kernels are the CPU's) gathers its batches
 * there and ends with the CPU's bits: the same order, the same steps, the same weights.
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

    @Test
    void onTheTestDeviceTheEpochsAndWeightsAreTheCpusBits() {
        Dataset train = data(37, 6, 4);
        Recipe recipe = new Recipe(3, 8, 0.1, Recipe.Schedule.CONSTANT, 0.9, 1e-4, 21);
        Module cpu = net();
        Module dev = net().to(TestDeviceProvider.DEV0);
        List<EpochResult> onCpu = new Trainer(cpu, train, recipe).fit(null, s -> { }, r -> { });
        List<EpochResult> onDev = new Trainer(dev, train, recipe).fit(null, s -> { }, r -> { });
        for (int e = 0; e < onCpu.size(); e++) {
            assertEquals(onCpu.get(e).loss(), onDev.get(e).loss(), "epoch " + e + " loss");
            assertEquals(onCpu.get(e).trainAccuracy(), onDev.get(e).trainAccuracy(), "epoch " + e + " accuracy");
        }
        List<Tensor> a = cpu.parameters(), b = dev.parameters();
        for (int k = 0; k < a.size(); k++) {
            assertEquals(TestDeviceProvider.DEV0, b.get(k).device());
            assertArrayEquals(a.get(k).toFloatArray(), b.get(k).to(Device.CPU).toFloatArray(), "parameter " + k);
        }
    }
}
