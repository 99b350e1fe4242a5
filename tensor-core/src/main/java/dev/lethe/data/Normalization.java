package dev.lethe.data;

import dev.lethe.tensor.Storage;
import dev.lethe.tensor.Tensor;

/**
 * Per-data-set input normalisation x ↦ (x − mean) / std with one mean and one standard
 * deviation over every input element (for Fashion-MNIST in [0, 1]: mean ≈ 0.286,
 * std ≈ 0.353). Fit it on the training set and apply the same values to the test set.
 */
public record Normalization(double mean, double std) {
    public Normalization {
        if (!(std > 0) || !Double.isFinite(std) || !Double.isFinite(mean)) {
            throw new IllegalArgumentException("normalization: need finite mean and std > 0, got mean " + mean + ", std " + std);
        }
    }

    /**
     * Mean and population standard deviation σ = √(Σ(x − μ)²/n) of every element of the
     * inputs, summed in float64 in element order (so the result is reproducible).
     *
     * @throws IllegalArgumentException for an empty data set or constant inputs (σ = 0)
     */
    public static Normalization fit(Dataset data) {
        Tensor x = data.inputs(); // contiguous, so element i sits at offset + i
        int n = x.numel();
        if (n == 0) throw new IllegalArgumentException("normalization: cannot fit an empty data set");
        Storage s = x.storage();
        int off = x.offset();
        double sum = 0;
        for (int i = 0; i < n; i++) sum += s.get(off + i);
        double mean = sum / n;
        double sq = 0;
        for (int i = 0; i < n; i++) {
            double d = s.get(off + i) - mean;
            sq += d * d;
        }
        return new Normalization(mean, Math.sqrt(sq / n));
    }

    /** {@code data} with inputs (x − mean) / std. */
    public Dataset apply(Dataset data) {
        return data.normalized(this);
    }
}
