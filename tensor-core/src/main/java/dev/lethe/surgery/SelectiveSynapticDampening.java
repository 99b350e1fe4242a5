package dev.lethe.surgery;

import dev.lethe.tensor.Tensor;

import java.util.List;

/**
 * Selective Synaptic Dampening (SSD): no training, one fused pass over the parameters θ, the
 * forget-set importance I_f and the full-training-set importance I_D (Fisher diagonals, see
 * {@link FisherDiagonal}):
 * <pre>
 *   for every i with I_f[i] &gt; α·I_D[i]:   θ_i ← min(λ·I_D[i] / I_f[i], 1)·θ_i
 * </pre>
 * computed in float32 in that order (as SSD's reference code does on float32 tensors);
 * defaults α = 10, λ = 1. Entries not selected are untouched.
 */
public final class SelectiveSynapticDampening {
    /** The selection weighting α. */
    public static final double DEFAULT_ALPHA = 10;
    /** The dampening constant λ. */
    public static final double DEFAULT_LAMBDA = 1;

    private SelectiveSynapticDampening() {}

    /** {@link #dampen(List, List, List, double, double)} with α = 10, λ = 1. */
    public static long dampen(List<Tensor> params, List<Tensor> forgetImportance, List<Tensor> fullImportance) {
        return dampen(params, forgetImportance, fullImportance, DEFAULT_ALPHA, DEFAULT_LAMBDA);
    }

    /**
     * Dampens {@code params} in place and returns how many entries were selected (and so
     * multiplied by their factor).
     *
     * @throws IllegalArgumentException if the lists differ in length or shapes, a tensor is not
     *         float32, a parameter is not contiguous, α or λ is negative or not finite, or an
     *         importance is NaN (naming it); the parameters are unchanged then
     */
    public static long dampen(List<Tensor> params, List<Tensor> forgetImportance, List<Tensor> fullImportance, double alpha, double lambda) {
        if (!(alpha >= 0) || !(lambda >= 0) || Double.isInfinite(alpha) || Double.isInfinite(lambda)) {
            throw new IllegalArgumentException("SSD: α and λ must be finite and ≥ 0, got α = " + alpha + ", λ = " + lambda);
        }
        FlatList theta = FlatList.output("SSD", "parameters", params);
        FlatList f = FlatList.input("SSD", "forget importance", forgetImportance);
        FlatList d = FlatList.input("SSD", "full importance", fullImportance);
        theta.requireSameShapes("SSD", "parameters", f, "forget importance");
        theta.requireSameShapes("SSD", "parameters", d, "full importance");
        requireNoNaN(f, "forget importance");
        requireNoNaN(d, "full importance");
        long selected = VectorPasses.dampen(theta, f, d, (float) alpha, (float) lambda);
        theta.bumpVersions();
        return selected;
    }

    private static void requireNoNaN(FlatList x, String what) {
        if (!VectorPasses.anyNaN(x)) return;
        for (int t = 0; t < x.size(); t++) {
            for (int i = 0; i < x.lengths[t]; i++) {
                if (Float.isNaN(x.arrays[t][x.offsets[t] + i])) {
                    throw new IllegalArgumentException("SSD: " + what + " tensor " + t + " element " + i + " is NaN; importances must be numbers");
                }
            }
        }
    }
}
