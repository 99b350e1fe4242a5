package dev.lethe.io;

import dev.lethe.tensor.Tensor;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A training checkpoint: model weights, optimiser state and string metadata (epoch, seed,
 * configuration…) in one safetensors file, the weights named {@code model.<name>} and the
 * optimiser state {@code optim.<name>}, so that any safetensors reader (PyTorch included)
 * can open it. Saving is atomic: a failed or interrupted save leaves the previous
 * checkpoint intact, which is what makes resuming after a crash safe.
 *
 * @param weights        by name, in file order
 * @param optimizerState by name, in file order
 * @param metadata       the strings saved with it
 */
public record Checkpoint(Map<String, Tensor> weights, Map<String, Tensor> optimizerState, Map<String, String> metadata) {
    public static final String MODEL_PREFIX = "model.";
    public static final String OPTIM_PREFIX = "optim.";

    public Checkpoint {
        weights = Collections.unmodifiableMap(new LinkedHashMap<>(weights));
        optimizerState = Collections.unmodifiableMap(new LinkedHashMap<>(optimizerState));
        metadata = Collections.unmodifiableMap(new LinkedHashMap<>(metadata));
    }

    /** Writes the weights, then the optimiser state, each in map order, with their own dtypes. */
    public static void save(Path file, Map<String, Tensor> weights, Map<String, Tensor> optimizerState, Map<String, String> metadata)
            throws IOException {
        Map<String, Tensor> all = new LinkedHashMap<>();
        weights.forEach((name, t) -> all.put(MODEL_PREFIX + name, t));
        optimizerState.forEach((name, t) -> all.put(OPTIM_PREFIX + name, t));
        SafeTensors.write(file, all, metadata);
    }

    /** Writes this checkpoint to {@code file}. */
    public void save(Path file) throws IOException {
        save(file, weights, optimizerState, metadata);
    }

    /**
     * Reads a checkpoint written by {@link #save}.
     *
     * @throws IOException if the file is not valid safetensors, or a tensor name has neither
     *     prefix (the file is then not a checkpoint)
     */
    public static Checkpoint load(Path file) throws IOException {
        SafeTensors.Contents c = SafeTensors.read(file);
        Map<String, Tensor> weights = new LinkedHashMap<>(), optim = new LinkedHashMap<>();
        for (Map.Entry<String, Tensor> e : c.tensors().entrySet()) {
            String name = e.getKey();
            if (name.startsWith(MODEL_PREFIX)) weights.put(name.substring(MODEL_PREFIX.length()), e.getValue());
            else if (name.startsWith(OPTIM_PREFIX)) optim.put(name.substring(OPTIM_PREFIX.length()), e.getValue());
            else {
                throw new IOException(file.getFileName() + ": tensor \"" + name + "\" starts with neither " + MODEL_PREFIX + " nor "
                        + OPTIM_PREFIX + "; not a checkpoint");
            }
        }
        return new Checkpoint(weights, optim, c.metadata());
    }
}
