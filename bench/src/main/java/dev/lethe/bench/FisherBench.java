package dev.lethe.bench;

import dev.lethe.surgery.FisherDiagonal;
import dev.lethe.surgery.SelectiveSynapticDampening;
import dev.lethe.tensor.Tensor;
import org.openjdk.jmh.annotations.*;

import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The Fisher diagonal and SSD over {@code size} floats cut like a model's layers ({@link
 * ParameterLayout}). {@code accumulate} adds one batch's g² into the running sum (reads g and
 * the sum, writes the sum: 3n floats of traffic); {@code ssd} is the select-and-dampen pass
 * (a NaN check reading I_f and I_D, then reads θ, I_f, I_D and writes θ: 6n). About half the
 * entries are selected (I_f = 20·a², I_D = b²); λ = 10⁶ caps almost every factor at 1, so θ
 * keeps its values from one call to the next while every selected entry is still multiplied.
 *
 * <p>{@code copy} is {@code System.arraycopy} of n floats (2n of traffic): {@code accumulate}'s
 * floor is 1.5× it and {@code ssd}'s 3×. {@code accumulateLoop} and {@code ssdLoop} are the
 * plain Java loops (no NaN check).
 */
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class FisherBench extends BenchDefaults {
    @Param({"235146", "10000000", "100000000"})
    public int size;

    List<Tensor> grads, theta, forget, full;
    FisherDiagonal fisher;
    float[][] g, sum, th, fi, di;

    @Setup
    public void setup() {
        grads = ParameterLayout.randn(1, size);
        theta = ParameterLayout.randn(2, size);
        forget = ParameterLayout.randn(3, size);
        full = ParameterLayout.randn(4, size);
        // In place, so the 100M case never holds a temporary: I_f = 20·a², I_D = b².
        for (float[] a : ParameterLayout.arrays(forget)) for (int i = 0; i < a.length; i++) a[i] = 20 * a[i] * a[i];
        for (float[] a : ParameterLayout.arrays(full)) for (int i = 0; i < a.length; i++) a[i] = a[i] * a[i];
        fisher = new FisherDiagonal(grads);
        g = ParameterLayout.arrays(grads);
        sum = ParameterLayout.like(g);
        th = ParameterLayout.arrays(theta);
        fi = ParameterLayout.arrays(forget);
        di = ParameterLayout.arrays(full);
    }

    @Benchmark
    public FisherDiagonal accumulate() {
        fisher.accumulate(grads);
        return fisher;
    }

    @Benchmark
    public long ssd() {
        return SelectiveSynapticDampening.dampen(theta, forget, full, 10, 1e6);
    }

    @Benchmark
    public float[][] copy() {
        return ParameterLayout.copy(g, sum);
    }

    /** Plain Java: sum += g·g (into the array {@code copy} writes). */
    @Benchmark
    public float[][] accumulateLoop() {
        for (int j = 0; j < g.length; j++) {
            float[] a = g[j], s = sum[j];
            for (int i = 0; i < a.length; i++) s[i] = s[i] + a[i] * a[i];
        }
        return sum;
    }

    /** Plain Java SSD. */
    @Benchmark
    public long ssdLoop() {
        long n = 0;
        float alpha = 10f, lambda = 1e6f;
        for (int j = 0; j < th.length; j++) {
            float[] t = th[j], f = fi[j], d = di[j];
            for (int i = 0; i < t.length; i++) {
                if (f[i] > alpha * d[i]) {
                    t[i] = t[i] * Math.min(lambda * d[i] / f[i], 1f);
                    n++;
                }
            }
        }
        return n;
    }
}
