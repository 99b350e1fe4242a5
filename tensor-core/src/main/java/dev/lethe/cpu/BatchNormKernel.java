package dev.lethe.cpu;

/**
 * Batch normalisation in training mode, float32, for a contiguous x viewed as [N, C, S]
 * (S = the product of the dims after the channel dim): per channel c, over its m = N·S
 * values,
 * <pre>
 *   μ = (1/m)·Σ x,   σ² = (1/m)·Σ (x − μ)²,   x̂ = (x − μ)/√(σ² + ε),   y = γ·x̂ + β
 * </pre>
 * and, for an upstream gradient g,
 * <pre>
 *   ∂β = Σ g,   ∂γ = Σ g·x̂,   ∂x = (γ/√(σ² + ε))·(g − ∂β/m − x̂·∂γ/m)
 * </pre>
 * (the derivative of y through μ and σ², which both depend on every x of the channel).
 *
 * <p>The sums are taken in float64, each over its channel in a fixed order (four interleaved
 * partial sums, added at the end), and a channel is summed by one thread: the bits depend on
 * neither the thread count nor the vector width. μ is subtracted before σ² is summed (two
 * passes), so a large mean does not cancel the variance away. The elementwise passes run in
 * float32: x̂ = (x − μ)·(1/√(σ² + ε)) with μ and 1/√(σ² + ε) rounded to float32.
 */
public final class BatchNormKernel {
    private BatchNormKernel() {}

    /** Channels per parallel task; a channel is 1 000 – 100 000 values in a convnet. */
    private static final int GRAIN = 1;

    /**
     * Normalises x into y and writes each channel's μ and biased σ² (float64).
     *
     * @param x       input at {@code xOff}, layout [n, c, s]
     * @param gamma   γ at {@code gOff}, c values
     * @param beta    β at {@code bOff}, c values
     * @param y       output, layout [n, c, s], from 0
     * @param mean    μ per channel (out)
     * @param var     biased σ² per channel (out)
     */
    public static void forward(float[] x, int xOff, int n, int c, int s, float[] gamma, int gOff, float[] beta, int bOff, double eps,
            float[] y, double[] mean, double[] var) {
        Parallel.forChunks(c, GRAIN, (lo, hi) -> {
            for (int ch = lo; ch < hi; ch++) {
                long m = (long) n * s;
                double mu = sum(x, xOff, n, c, s, ch) / m;
                double v = sumSquares(x, xOff, n, c, s, ch, mu) / m;
                mean[ch] = mu;
                var[ch] = v;
                float mf = (float) mu, inv = (float) (1 / Math.sqrt(v + eps)), gm = gamma[gOff + ch], bt = beta[bOff + ch];
                for (int i = 0; i < n; i++) {
                    int row = (i * c + ch) * s;
                    for (int j = 0; j < s; j++) y[row + j] = (x[xOff + row + j] - mf) * inv * gm + bt;
                }
            }
        });
    }

    /**
     * The gradients of {@link #forward} for the same x, γ, μ and σ². {@code dx} null: not
     * wanted; {@code dGamma}/{@code dBeta} always filled (c values each).
     *
     * @param g upstream gradient at {@code gOff}, layout [n, c, s]
     */
    public static void backward(float[] x, int xOff, float[] g, int gradOff, int n, int c, int s, float[] gamma, int gOff, double[] mean,
            double[] var, double eps, float[] dx, float[] dGamma, float[] dBeta) {
        Parallel.forChunks(c, GRAIN, (lo, hi) -> {
            for (int ch = lo; ch < hi; ch++) {
                long m = (long) n * s;
                float mf = (float) mean[ch];
                double invD = 1 / Math.sqrt(var[ch] + eps);
                float inv = (float) invD;
                double[] sums = gradientSums(g, gradOff, x, xOff, n, c, s, ch, mean[ch]);
                double sumG = sums[0], sumGX = sums[1] * invD;
                dBeta[ch] = (float) sumG;
                dGamma[ch] = (float) sumGX;
                if (dx == null) continue;
                float k = (float) (gamma[gOff + ch] * invD), a = (float) (sumG / m), b = (float) (sumGX / m);
                for (int i = 0; i < n; i++) {
                    int row = (i * c + ch) * s;
                    for (int j = 0; j < s; j++) {
                        float xhat = (x[xOff + row + j] - mf) * inv;
                        dx[row + j] = k * (g[gradOff + row + j] - a - xhat * b);
                    }
                }
            }
        });
    }

    /** Σ v over channel ch, in float64, four interleaved partial sums. */
    private static double sum(float[] v, int off, int n, int c, int s, int ch) {
        double s0 = 0, s1 = 0, s2 = 0, s3 = 0;
        for (int i = 0; i < n; i++) {
            int p = off + (i * c + ch) * s, end = p + s;
            for (; p + 3 < end; p += 4) {
                s0 += v[p];
                s1 += v[p + 1];
                s2 += v[p + 2];
                s3 += v[p + 3];
            }
            for (; p < end; p++) s0 += v[p];
        }
        return (s0 + s1) + (s2 + s3);
    }

    /** Σ (v − μ)² over channel ch, in float64. */
    private static double sumSquares(float[] v, int off, int n, int c, int s, int ch, double mu) {
        double s0 = 0, s1 = 0, s2 = 0, s3 = 0;
        for (int i = 0; i < n; i++) {
            int p = off + (i * c + ch) * s, end = p + s;
            for (; p + 3 < end; p += 4) {
                double d0 = v[p] - mu, d1 = v[p + 1] - mu, d2 = v[p + 2] - mu, d3 = v[p + 3] - mu;
                s0 += d0 * d0;
                s1 += d1 * d1;
                s2 += d2 * d2;
                s3 += d3 * d3;
            }
            for (; p < end; p++) {
                double d = v[p] - mu;
                s0 += d * d;
            }
        }
        return (s0 + s1) + (s2 + s3);
    }

    /**
     * {Σ g, Σ g·(x − μ)} over channel ch, in float64, in one pass over g: each with four
     * interleaved partial sums, in the same order as {@link #sum}.
     */
    private static double[] gradientSums(float[] g, int gOff, float[] x, int xOff, int n, int c, int s, int ch, double mu) {
        double s0 = 0, s1 = 0, s2 = 0, s3 = 0, t0 = 0, t1 = 0, t2 = 0, t3 = 0;
        for (int i = 0; i < n; i++) {
            int row = (i * c + ch) * s, p = 0;
            int gp = gOff + row, xp = xOff + row;
            for (; p + 3 < s; p += 4) {
                float g0 = g[gp + p], g1 = g[gp + p + 1], g2 = g[gp + p + 2], g3 = g[gp + p + 3];
                s0 += g0;
                s1 += g1;
                s2 += g2;
                s3 += g3;
                t0 += (double) g0 * (x[xp + p] - mu);
                t1 += (double) g1 * (x[xp + p + 1] - mu);
                t2 += (double) g2 * (x[xp + p + 2] - mu);
                t3 += (double) g3 * (x[xp + p + 3] - mu);
            }
            for (; p < s; p++) {
                s0 += g[gp + p];
                t0 += (double) g[gp + p] * (x[xp + p] - mu);
            }
        }
        return new double[] {(s0 + s1) + (s2 + s3), (t0 + t1) + (t2 + t3)};
    }
}
