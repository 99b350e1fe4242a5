package dev.lethe.unlearn.harness;

/**
 * Mean and sample standard deviation of one quantity over seeds, NaN values (failed runs)
 * left out: mean = Σx/n, std = √(Σ(x − mean)²/(n − 1)) (NaN when n &lt; 2, NaN mean when n = 0).
 *
 * @param n how many finite values went in
 */
public record Stat(double mean, double std, int n) {
    /** The statistics of the finite values among {@code xs}. */
    public static Stat of(double... xs) {
        int n = 0;
        double sum = 0;
        for (double x : xs) {
            if (Double.isFinite(x)) {
                n++;
                sum += x;
            }
        }
        if (n == 0) return new Stat(Double.NaN, Double.NaN, 0);
        double mean = sum / n;
        if (n == 1) return new Stat(mean, Double.NaN, 1);
        double ss = 0;
        for (double x : xs) if (Double.isFinite(x)) ss += (x - mean) * (x - mean);
        return new Stat(mean, Math.sqrt(ss / (n - 1)), n);
    }
}
