package dev.lethe.train;

import dev.lethe.backend.TestDeviceProvider;
import dev.lethe.tensor.DType;
import dev.lethe.tensor.Device;
import dev.lethe.tensor.Tensor;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * The tally gives what reading each step at once gave: Σ loss.item()·|b| / Σ|b| in step order
 * and the share of arg-maxes equal to the labels, on the CPU and on a device.
 */
class EpochTallyTest {
    @Test
    void meanLossAndAccuracyAreTheStepByStepOnes() {
        float[] losses = {2.3025851f, 1.7f, 0.3333333f};
        int[][] labels = {{0, 1, 2}, {2, 2}, {1, 0, 0, 1}};
        for (Device device : new Device[] {Device.CPU, TestDeviceProvider.DEV0}) {
            EpochTally tally = new EpochTally(device, 3, 9);
            double sum = 0;
            long right = 0, seen = 0;
            for (int s = 0; s < 3; s++) {
                int b = labels[s].length;
                Tensor logits = Tensor.randn(40 + s, b, 3).to(device), loss = Tensor.scalar(losses[s]).to(device);
                float[] l = logits.toFloatArray();
                for (int i = 0; i < b; i++) {
                    int arg = 0;
                    for (int c = 1; c < 3; c++) if (l[i * 3 + c] > l[i * 3 + arg]) arg = c;
                    if (arg == labels[s][i]) right++;
                }
                sum += loss.item() * b;
                seen += b;
                tally.add(loss, logits, labels[s]);
            }
            assertEquals(sum / seen, tally.meanLoss(), 0.0, device + ": mean loss, bit for bit");
            assertEquals(100.0 * right / seen, tally.accuracy(), 0.0, device + ": accuracy");
            assertEquals(9, tally.seen());
        }
    }

    @Test
    void aFloat64LossIsRefusedRatherThanRounded() {
        EpochTally tally = new EpochTally(Device.CPU, 1, 2);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> tally.add(Tensor.scalar(0.1, DType.FLOAT64), Tensor.zeros(2, 3), new int[] {0, 1}));
        assertEquals("trainer: the loss is float64; the epoch's tally keeps float32 losses", e.getMessage());
    }
}
