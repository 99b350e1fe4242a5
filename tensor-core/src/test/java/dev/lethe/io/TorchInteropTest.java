package dev.lethe.io;

import dev.lethe.autograd.NoGrad;
import dev.lethe.nn.Models;
import dev.lethe.nn.Sequential;
import dev.lethe.tensor.Tensor;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.*;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Weights move both ways between PyTorch and Lethe: tools/torch_interop.py exports a trained
 * torch MLP that Lethe's {@link Models#mlp} must reproduce, and checks in torch the logits of
 * weights Lethe wrote. Skipped unless /usr/bin/python3 can import torch (Debian's PyTorch).
 */
class TorchInteropTest {
    private static final String PYTHON = "/usr/bin/python3";
    /** Working directory is the module, so the script is one level up. */
    private static final Path SCRIPT = Path.of("../tools/torch_interop.py");
    /** The two engines sum the same float32 products in different orders. */
    private static final double TOLERANCE = 1e-5;

    private record Result(int exit, String output) {}

    /** Holds what {@code export} wrote (torch's weights, the inputs, torch's logits); shared by both tests. */
    @TempDir
    static Path exported;

    @BeforeAll
    static void exportFromTorch() throws IOException, InterruptedException {
        Result r;
        try {
            r = run(List.of(PYTHON, "-c", "import torch"), 60);
        } catch (IOException e) {
            r = new Result(-1, e.getMessage());
        }
        assumeTrue(r.exit() == 0, "PyTorch is not importable by " + PYTHON + ": " + r.output());
        Result export = script("export", exported);
        assertEquals(0, export.exit(), export.output());
    }

    private static Result run(List<String> command, int timeoutSeconds) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        // Drained on another thread: a child blocked on a full pipe would never exit.
        CompletableFuture<String> output = CompletableFuture.supplyAsync(() -> {
            try {
                return new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                return "(output unreadable: " + e.getMessage() + ")";
            }
        });
        if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            return new Result(-1, String.join(" ", command) + " timed out after " + timeoutSeconds + " s");
        }
        return new Result(p.exitValue(), output.join());
    }

    private static Result script(String mode, Path dir) throws IOException, InterruptedException {
        return run(List.of(PYTHON, SCRIPT.toString(), mode, dir.toString()), 300);
    }

    private static Tensor logits(Sequential model, Tensor inputs) {
        try (NoGrad g = NoGrad.enter()) {
            return model.forward(inputs);
        }
    }

    private static double maxAbsDiff(Tensor a, Tensor b) {
        assertArrayEquals(a.shape(), b.shape(), "logit shapes");
        float[] x = a.toFloatArray(), y = b.toFloatArray();
        double max = 0;
        for (int i = 0; i < x.length; i++) max = Math.max(max, Math.abs((double) x[i] - y[i]));
        return max;
    }

    @Test
    void letheReproducesTorchLogitsFromTorchWeights() throws Exception {
        Path dir = exported;
        Sequential model = Models.mlp(123);
        Tensor before = model.stateDict().get("1.weight");
        model.loadStateDict(SafeTensors.read(dir.resolve("torch_mlp.safetensors")).tensors());
        Tensor inputs = SafeTensors.read(dir.resolve("inputs.safetensors")).tensors().get("inputs");
        Tensor expected = SafeTensors.read(dir.resolve("torch_logits.safetensors")).tensors().get("logits");
        assertArrayEquals(new int[] {16, 1, 28, 28}, inputs.shape());
        // The load really replaced Lethe's own initialisation.
        assertTrue(maxAbsDiff(before, model.stateDict().get("1.weight")) > 1e-3);
        double diff = maxAbsDiff(logits(model, inputs), expected);
        System.out.println("torch -> lethe: max |lethe - torch| logits = " + diff);
        assertTrue(diff <= TOLERANCE, "max |lethe - torch| = " + diff);
    }

    @Test
    void torchReproducesLetheLogitsFromLetheWeights(@TempDir Path dir) throws Exception {
        Sequential model = Models.mlp(7);
        Files.copy(exported.resolve("inputs.safetensors"), dir.resolve("inputs.safetensors"));
        Tensor inputs = SafeTensors.read(dir.resolve("inputs.safetensors")).tensors().get("inputs");
        SafeTensors.write(dir.resolve("lethe_mlp.safetensors"), model.stateDict(), Map.of());
        SafeTensors.write(dir.resolve("lethe_logits.safetensors"), Map.of("logits", logits(model, inputs)), Map.of());
        Result check = script("check", dir);
        System.out.println("lethe -> torch: " + check.output().strip());
        assertEquals(0, check.exit(), check.output());
    }
}
