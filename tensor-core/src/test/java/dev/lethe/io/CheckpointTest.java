package dev.lethe.io;

import dev.lethe.tensor.DType;
import dev.lethe.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

/** Checkpoints: weights and optimiser state round-trip under their own names; a plain safetensors file is refused. */
class CheckpointTest {
    @TempDir
    Path dir;

    @Test
    void roundTripsWeightsOptimizerStateAndMetadata() throws IOException {
        Map<String, Tensor> weights = new LinkedHashMap<>();
        weights.put("fc1.weight", Tensor.randn(1, 8, 4));
        weights.put("fc1.bias", Tensor.zeros(8));
        Map<String, Tensor> optim = new LinkedHashMap<>();
        optim.put("fc1.weight.m", Tensor.randn(2, 8, 4));
        optim.put("step", Tensor.scalar(17, DType.FLOAT64));
        Path p = dir.resolve("ckpt.safetensors");
        Checkpoint.save(p, weights, optim, Map.of("epoch", "4", "seed", "42"));

        Checkpoint c = Checkpoint.load(p);
        assertEquals(List.of("fc1.weight", "fc1.bias"), List.copyOf(c.weights().keySet()));
        assertEquals(List.of("fc1.weight.m", "step"), List.copyOf(c.optimizerState().keySet()));
        assertArrayEquals(weights.get("fc1.weight").toFloatArray(), c.weights().get("fc1.weight").toFloatArray());
        assertEquals(17.0, c.optimizerState().get("step").item());
        assertEquals(DType.FLOAT64, c.optimizerState().get("step").dtype());
        assertEquals(Map.of("epoch", "4", "seed", "42"), c.metadata());
        // Underneath it is plain safetensors with prefixed names.
        assertEquals(List.of("model.fc1.weight", "model.fc1.bias", "optim.fc1.weight.m", "optim.step"),
                List.copyOf(SafeTensors.read(p).tensors().keySet()));
    }

    @Test
    void savingAgainReplacesTheCheckpointWhole() throws IOException {
        Path p = dir.resolve("ckpt.safetensors");
        new Checkpoint(Map.of("w", Tensor.ones(3)), Map.of(), Map.of("epoch", "1")).save(p);
        new Checkpoint(Map.of("w", Tensor.full(2, 3)), Map.of(), Map.of("epoch", "2")).save(p);
        Checkpoint c = Checkpoint.load(p);
        assertEquals("2", c.metadata().get("epoch"));
        assertArrayEquals(new float[] {2, 2, 2}, c.weights().get("w").toFloatArray());
        try (var files = Files.list(dir)) {
            assertEquals(List.of(p), files.toList());
        }
    }

    @Test
    void aFileWithoutThePrefixesIsNotACheckpoint() throws IOException {
        Path p = dir.resolve("plain.safetensors");
        SafeTensors.write(p, Map.of("weight", Tensor.ones(2)), Map.of());
        var e = assertThrows(IOException.class, () -> Checkpoint.load(p));
        assertEquals("plain.safetensors: tensor \"weight\" starts with neither model. nor optim.; not a checkpoint", e.getMessage());
    }
}
