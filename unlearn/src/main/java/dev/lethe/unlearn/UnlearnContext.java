package dev.lethe.unlearn;

import dev.lethe.nn.Models;
import dev.lethe.nn.Module;
import dev.lethe.tensor.Device;
import dev.lethe.tensor.Tensor;
import dev.lethe.train.Recipe;

import java.util.Map;

/**
 * Everything a method may use for one request.
 *
 * @param modelName      the architecture, a name {@link Models#byName} knows
 * @param initSeed       the seed of the original model's initial weights (Retrain reuses it)
 * @param original       θ0, the trained original model; methods must not modify it
 * @param recipe         how the original was trained (Retrain repeats it on D_r)
 * @param split          D_f, D_r, D_t of this request
 * @param numClasses     K, the number of classes
 * @param seed           seeds the method's own randomness (shuffles, random labels)
 * @param sparsityMask   parameter name → 0/1 mask for prune-then-unlearn (empty: dense); a
 *                       method keeps masked-out weights at zero (forward w⊙m and masked steps)
 * @param onStep         called after every optimiser step (progress display); never null
 */
public record UnlearnContext(String modelName, long initSeed, Module original, Recipe recipe, ForgetSplit split, int numClasses, long seed,
                             Map<String, Tensor> sparsityMask, Runnable onStep) {
    public UnlearnContext {
        sparsityMask = Map.copyOf(sparsityMask);
        if (onStep == null) onStep = () -> {};
        if (numClasses < 2) throw new IllegalArgumentException("numClasses must be ≥ 2, got " + numClasses);
    }

    /**
     * A fresh model of the same architecture with the original's initial weights (θ_init), on
     * the original's device: so every method runs where the original model lives.
     */
    public Module freshModel() {
        return onDevice(Models.byName(modelName, initSeed));
    }

    /** Where every method runs: the original model's device. */
    public Device device() {
        return original.device();
    }

    /** {@code m} moved to the original's device (tensors already there stay as they are): for any model a method makes. */
    public Module onDevice(Module m) {
        return m.to(device());
    }

    /** An independent copy of θ0 (same architecture, weights and buffers copied). */
    public Module copyOfOriginal() {
        Module m = freshModel();
        m.loadStateDict(original.stateDict());
        return m;
    }

    /** This context with another split (the same model, recipe and seed). */
    public UnlearnContext withSplit(ForgetSplit s) {
        return new UnlearnContext(modelName, initSeed, original, recipe, s, numClasses, seed, sparsityMask, onStep);
    }

    /** This context with another original model, e.g. for the next request of a sequence. */
    public UnlearnContext withOriginal(Module m) {
        return new UnlearnContext(modelName, initSeed, m, recipe, split, numClasses, seed, sparsityMask, onStep);
    }
}
