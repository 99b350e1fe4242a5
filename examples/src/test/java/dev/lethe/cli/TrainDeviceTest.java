package dev.lethe.cli;

import dev.lethe.backend.Devices;
import dev.lethe.tensor.Device;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

/** {@code lethe train --device} and {@code lethe unlearn --device}: the CPU by default, and a plain fallback line where no GPU answers. */
class TrainDeviceTest {
    @Test
    void cudaWithoutAGpuSaysWhyAndRunsOnTheCpu(@TempDir Path dir) throws Exception {
        assumeFalse(Devices.available(Device.cuda(0)), "a GPU answers here");
        Path json = dir.resolve("run.json");
        TrainCommandTest.Run r = TrainCommandTest.lethe("train", "--device", "cuda", "--epochs", "1", "--quiet", "--threads", "2", "--json", json.toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.err().contains("lethe train: no CUDA device: ") && r.err().contains("; running on the CPU"), r.err());
        assertTrue(r.err().contains("running on the CPU, 2 threads"), r.err());
        assertTrue(Files.readString(json).contains("\"device\": \"cpu\""), Files.readString(json));
    }

    @Test
    void unlearnOnCudaWithoutAGpuSaysWhyAndRunsOnTheCpu() {
        assumeFalse(Devices.available(Device.cuda(0)), "a GPU answers here");
        TrainCommandTest.Run r = TrainCommandTest.lethe("unlearn", "--device", "cuda", "--scenario", "class:3", "--methods", "retrain,salun",
                "--set", "salun.epochs=1", "--epochs", "1", "--mia-samples", "200", "--quiet", "--threads", "2");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.err().contains("lethe unlearn: no CUDA device: ") && r.err().contains("; running on the CPU"), r.err());
        assertTrue(r.err().contains("running on the CPU, 2 threads"), r.err());
        assertTrue(r.out().contains("| salun epochs=1 |"), r.out());
        TrainCommandTest.Run bad = TrainCommandTest.lethe("unlearn", "--device", "gpu:x", "--scenario", "class:3");
        assertNotEquals(0, bad.code());
        assertTrue(bad.err().contains("not a device: 'gpu:x'"), bad.err());
    }

    @Test
    void theDefaultIsTheCpuAndANonsenseDeviceIsRefused() {
        TrainCommandTest.Run bad = TrainCommandTest.lethe("train", "--device", "gpu:x", "--epochs", "1", "--quiet");
        assertNotEquals(0, bad.code());
        assertTrue(bad.err().contains("not a device: 'gpu:x'"), bad.err());
    }
}
