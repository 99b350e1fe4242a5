package dev.lethe.unlearn.methods;

import dev.lethe.backend.TestDeviceProvider;
import dev.lethe.data.DataLoader;
import dev.lethe.data.Dataset;
import dev.lethe.nn.Module;
import dev.lethe.optim.SGD;
import dev.lethe.tensor.Device;
import dev.lethe.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * The methods' loop over a loader on the device (the test device, the CPU's kernels): each
 * batch is gathered there inside its step and released with it (the test device's storage
 * refuses a read after release), and the weights end with the CPU's bits.
 */
class TrainingLoopOnDeviceTest {
    private static final Device DEV = TestDeviceProvider.DEV0;

    private static Dataset data() {
        return SmallNet.data(8, 53);
    }

    private static Module net() {
        return SmallNet.net();
    }

    private static Module train(Device device, List<Tensor> batchInputs) {
        Module model = net().to(device);
        SGD opt = new SGD(model.parameters(), 0.1, 0.9, 0, false, 0);
        DataLoader loader = Batches.shuffled(data(), 8, 3, device);
        for (int e = 0; e < 2; e++) {
            TrainingLoop.steps(model, opt, loader.epoch(e), (m, b) -> {
                batchInputs.add(b.inputs());
                BatchLoss.CROSS_ENTROPY.loss(m, b).backward();
            }, () -> { });
        }
        return model;
    }

    @Test
    void batchesAreGatheredOnTheDeviceAndReleasedWithTheirStep() {
        List<Tensor> onCpu = new ArrayList<>(), onDev = new ArrayList<>();
        Module cpu = train(Device.CPU, onCpu), dev = train(DEV, onDev);
        assertEquals(14, onDev.size(), "two epochs of 7 batches");
        for (Tensor x : onDev) {
            assertEquals(DEV, x.device(), "the batch was gathered on the device");
            assertThrows(IllegalStateException.class, x::toFloatArray, "the batch was released with its step");
        }
        List<Tensor> a = cpu.parameters(), b = dev.parameters();
        for (int k = 0; k < a.size(); k++) assertArrayEquals(a.get(k).toFloatArray(), b.get(k).toFloatArray(), "parameter " + k);
    }
}
