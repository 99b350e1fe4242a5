package dev.lethe.bench;

import dev.lethe.surgery.ParameterMasks;
import dev.lethe.surgery.SaliencyMask;
import dev.lethe.surgery.Scope;
import dev.lethe.surgery.TopK;
import dev.lethe.tensor.Tensor;
import org.openjdk.jmh.annotations.*;

import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * SalUn's mask from gradients: global top-50% of |g| over {@code size} floats cut like a
 * model's layers ({@link ParameterLayout}; at 235,146 exactly the MLP, so {@code maskOnly}
 * there is the "mask-only" workload of {@code tools/torch_speed.py} (d): |g|, global
 * {@code torch.topk} of 117,573, scatter into fresh per-parameter masks).
 *
 * <p>{@code copy} is {@code System.arraycopy} of the n gradient floats into the n mask floats:
 * the compulsory traffic of a float mask kernel (read g once, write the mask once);
 * {@code copyParallel} is the same copy on the kernels' threads. From 2^16 floats the kernel
 * samples runs of g to bracket the threshold, then one vectorised pass reads g and writes the
 * mask as bits (n/8 bytes) while it gathers the ~1% of entries inside the bracket, whose bits
 * are set once they are selected exactly (the bits are still in cache): {@code masks} stops
 * there, as {@link ParameterMasks} holds masks as bits; {@code maskInto} and {@code maskOnly}
 * then write the bits out as float masks, a pass that writes n floats and reads nothing else.
 * If the sample misses, the radix path runs (a first-digit histogram, compute-bound with its
 * scalar increment per entry, then the pass that writes the mask while gathering the
 * threshold bucket). {@code sortBaseline} is the textbook
 * approach (copy |g|, full sort, threshold, mask loop); {@code maskLoop} is the plain Java
 * compare loop alone, given the threshold.
 */
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class SaliencyMaskBench extends BenchDefaults {
    @Param({"235146", "10000000", "100000000"})
    public int size;

    List<Tensor> grads, masks;
    List<String> names;
    float[][] g, out;
    long k;
    float threshold;

    @Setup
    public void setup() {
        grads = ParameterLayout.randn(1, size);
        names = new java.util.ArrayList<>();
        for (int i = 0; i < grads.size(); i++) names.add("p" + i);
        masks = ParameterLayout.zeros(size);
        g = ParameterLayout.arrays(grads);
        out = ParameterLayout.arrays(masks);
        k = SaliencyMask.keepCount(size, 0.5);
        threshold = TopK.select(grads, k, TopK.Rank.MAGNITUDE).threshold();
    }

    /** Top-50% |g| into preallocated masks. */
    @Benchmark
    public TopK.Selection maskInto() {
        return TopK.maskInto(grads, k, TopK.Rank.MAGNITUDE, masks);
    }

    /** As PyTorch's mask-only step: fresh masks each call. */
    @Benchmark
    public List<Tensor> maskOnly() {
        return SaliencyMask.fromGradients(grads, 0.5, Scope.GLOBAL);
    }

    /**
     * SalUn's mask as {@link dev.lethe.surgery.ParameterMasks} hold it: top-50% |g| as bits, one
     * per entry, written while the gradients are read ({@link SaliencyMask#masksFromGradients}).
     */
    @Benchmark
    public ParameterMasks masks() {
        return SaliencyMask.masksFromGradients(names, grads, 0.5, Scope.GLOBAL);
    }

    /** The threshold alone (histogram pass + candidates). */
    @Benchmark
    public TopK.Selection select() {
        return TopK.select(grads, k, TopK.Rank.MAGNITUDE);
    }

    @Benchmark
    public float[][] copy() {
        return ParameterLayout.copy(g, out);
    }

    /** {@link #copy} split over the kernels' threads ({@code -Dlethe.threads}, default all cores). */
    @Benchmark
    public float[][] copyParallel() {
        return ParameterLayout.copyParallel(g, out);
    }

    /** Plain Java: m = |g| ≥ τ ? 1 : 0 with τ known. */
    @Benchmark
    public float[][] maskLoop() {
        float t = threshold;
        for (int j = 0; j < g.length; j++) {
            float[] a = g[j], m = out[j];
            for (int i = 0; i < a.length; i++) m[i] = Math.abs(a[i]) >= t ? 1f : 0f;
        }
        return out;
    }

    /** The textbook way: |g| copied into one array, fully sorted, threshold read off, mask loop. */
    @Benchmark
    public float[][] sortBaseline() {
        float[] s = new float[size];
        int at = 0;
        for (float[] a : g) for (float v : a) s[at++] = Math.abs(v);
        Arrays.sort(s);
        float t = s[size - (int) k];
        for (int j = 0; j < g.length; j++) {
            float[] a = g[j], m = out[j];
            for (int i = 0; i < a.length; i++) m[i] = Math.abs(a[i]) >= t ? 1f : 0f;
        }
        return out;
    }
}
