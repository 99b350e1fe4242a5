package dev.lethe.bench;

import dev.lethe.cpu.Gemm;
import dev.lethe.cpu.Parallel;
import org.openjdk.jmh.annotations.*;

import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

/**
 * SGEMM C = op(A)·op(B), square n×n float32, on 1 or 2 threads, in the three layouts
 * training needs: NN (A·B), TN (Aᵀ·B, weight gradients) and NT (A·Bᵀ, input gradients).
 * {@code naive} is the plain i-j-p triple loop on one thread, the baseline a Java user
 * would write. GFLOPS = 2·n³ / (score in seconds) / 1e9.
 */
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class GemmBench extends BenchDefaults {
    @Param({"64", "256", "512", "1000", "1024", "2048"})
    public int n;

    @Param({"1", "2"})
    public int threads;

    @Param({"NN", "TN", "NT"})
    public String variant;

    float[] a, b, c;

    @Setup
    public void setup() {
        SplittableRandom r = new SplittableRandom(42);
        a = new float[n * n];
        b = new float[n * n];
        c = new float[n * n];
        for (int i = 0; i < a.length; i++) {
            a[i] = (float) r.nextDouble(-1, 1);
            b[i] = (float) r.nextDouble(-1, 1);
        }
        Parallel.setThreads(threads);
    }

    @Benchmark
    public float[] lethe() {
        Gemm.sgemm(variant.charAt(0) == 'T', variant.charAt(1) == 'T', n, n, n, a, 0, n, b, 0, n, c, 0, n, false);
        return c;
    }

    /** The textbook loop (i, p, j order so the inner loop streams rows), single-threaded. */
    @Benchmark
    public float[] naive() {
        java.util.Arrays.fill(c, 0f);
        for (int i = 0; i < n; i++) {
            for (int p = 0; p < n; p++) {
                float av = a[i * n + p];
                for (int j = 0; j < n; j++) c[i * n + j] += av * b[p * n + j];
            }
        }
        return c;
    }
}
