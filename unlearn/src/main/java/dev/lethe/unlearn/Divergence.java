package dev.lethe.unlearn;

import dev.lethe.nn.Module;
import dev.lethe.tensor.Tensor;

import java.util.Map;

/**
 * A method's run left the finite numbers: a loss or gradient became NaN or infinite, so its
 * weights are about to (ascent on −CE is unbounded, and the learning rate decides whether it
 * runs away). The harness reports it as {@code diverged: <message>}; a
 * {@code LearningRateRule} counts the candidate as diverged and keeps choosing among the others.
 */
public final class Divergence extends RuntimeException {
    public Divergence(String message) {
        super(message);
    }

    /**
     * The first parameter or buffer entry of {@code m} that is NaN or infinite, as
     * {@code name[i] = value}, or null when every entry is finite. A diverged model's metrics
     * would be those of a constant classifier — meaningless next to Retrain — so its row
     * records the divergence instead.
     */
    public static String firstNonFinite(Module m) {
        for (Map.Entry<String, Tensor> t : m.stateDict().entrySet()) {
            float[] v = t.getValue().toFloatArray();
            for (int i = 0; i < v.length; i++) if (!Float.isFinite(v[i])) return t.getKey() + "[" + i + "] = " + v[i];
        }
        return null;
    }
}
