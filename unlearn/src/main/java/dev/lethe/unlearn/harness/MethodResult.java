package dev.lethe.unlearn.harness;

import dev.lethe.unlearn.Metrics;

import java.util.Map;

/**
 * One row of a run: a model's metrics on one request.
 *
 * @param method          the method's name ({@value Harness#ORIGINAL} and {@value Harness#NOISE_FLOOR_NAME} for the references)
 * @param role            what the row stands for
 * @param metrics         UA, RA, TA, MIA-efficacy in percent, unlearning seconds (NaN for the original); NaN everywhere when the method failed
 * @param avgGap          {@link Metrics#avgGap} to the Retrain row of the same run; NaN without one
 * @param perClassTestAcc accuracy per class of the full test set, percent
 * @param notes           what the method reported about its choices (e.g. GA's learning rate)
 * @param error           null, or why the method failed (its exception), in which case the metrics are NaN
 */
public record MethodResult(String method, Role role, Metrics metrics, double avgGap, double[] perClassTestAcc, Map<String, String> notes, String error) {
    public MethodResult {
        perClassTestAcc = perClassTestAcc.clone();
        notes = Map.copyOf(notes);
    }

    /** A copy of the per-class accuracies. */
    @Override
    public double[] perClassTestAcc() {
        return perClassTestAcc.clone();
    }

    /** The same row with its average gap set. */
    MethodResult withAvgGap(double gap) {
        return new MethodResult(method, role, metrics, gap, perClassTestAcc, notes, error);
    }

    /** True when the method threw instead of returning a model. */
    public boolean failed() {
        return error != null;
    }
}
