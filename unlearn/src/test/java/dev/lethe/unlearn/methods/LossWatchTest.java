package dev.lethe.unlearn.methods;

import dev.lethe.backend.TestDeviceProvider;
import dev.lethe.data.DataLoader;
import dev.lethe.nn.Module;
import dev.lethe.optim.SGD;
import dev.lethe.tensor.Device;
import dev.lethe.unlearn.Divergence;
import org.junit.jupiter.api.Test;

import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The methods' loop checks its losses on a device without reading each one back: an epoch of
 * 53 steps on the test device reads the device twice (after step 32 and at the end), ends
 * with the CPU's weights, and a loss that turns NaN stops the run with the CPU's message,
 * within {@link LossWatch#READ_EVERY} steps.
 */
class LossWatchTest {
    private static final Device DEV = TestDeviceProvider.DEV0;
    private static final int STEPS = 53;

    /** One epoch of batch-size-1 steps; {@code nanFrom} ≥ 0 makes every loss from that step on NaN. */
    private static Module epoch(Device device, int nanFrom, AtomicInteger steps) {
        Module model = SmallNet.net().to(device);
        SGD opt = new SGD(model.parameters(), 0.1, 0.9, 0, false, 0);
        DataLoader loader = Batches.shuffled(SmallNet.data(8, STEPS), 1, 3, device);
        AtomicInteger computed = new AtomicInteger();
        BatchLoss<DataLoader.Batch> loss = (m, b) -> {
            var l = BatchLoss.CROSS_ENTROPY.loss(m, b);
            return nanFrom >= 0 && computed.getAndIncrement() >= nanFrom ? l.mul(Float.NaN) : l;
        };
        TrainingLoop.epoch(model, opt, loader.epoch(0), loss, steps::incrementAndGet);
        return model;
    }

    @Test
    void aDeviceEpochReadsItsLossesOnceEvery32StepsAndEndsWithTheCpusWeights() {
        Module cpu = epoch(Device.CPU, -1, new AtomicInteger());
        int before = TestDeviceProvider.downloads();
        AtomicInteger steps = new AtomicInteger();
        Module dev = epoch(DEV, -1, steps);
        assertEquals(STEPS, steps.get());
        assertEquals(2, TestDeviceProvider.downloads() - before, "reads of the device in 53 steps: after step 32 and at the end");
        for (int k = 0; k < cpu.parameters().size(); k++) {
            assertArrayEquals(cpu.parameters().get(k).toFloatArray(), dev.parameters().get(k).toFloatArray(), "parameter " + k);
        }
    }

    @Test
    void aNaNLossStopsTheRunWithTheCpusMessageWithinReadEverySteps() {
        AtomicInteger cpuSteps = new AtomicInteger(), devSteps = new AtomicInteger();
        Divergence onCpu = assertThrows(Divergence.class, () -> epoch(Device.CPU, 5, cpuSteps));
        Divergence onDev = assertThrows(Divergence.class, () -> epoch(DEV, 5, devSteps));
        assertEquals("the loss is NaN (try a smaller learning rate)", onCpu.getMessage());
        assertEquals(onCpu.getMessage(), onDev.getMessage());
        assertEquals(5, cpuSteps.get(), "on the CPU the sixth step stops before its optimiser step");
        assertTrue(devSteps.get() >= 5 && devSteps.get() <= LossWatch.READ_EVERY, "on the device the run stops at the next read: " + devSteps.get() + " steps");
        assertThrows(Divergence.class, () -> epoch(DEV, 40, new AtomicInteger()), "a NaN after the last full read is found at the end");
    }
}
