package dev.lethe.bench;

import dev.lethe.nn.Linear;
import dev.lethe.nn.Models;
import dev.lethe.nn.Module;
import dev.lethe.nn.Sequential;
import dev.lethe.surgery.MagnitudePruning;
import dev.lethe.surgery.ParameterMasks;
import dev.lethe.surgery.Scope;
import dev.lethe.tensor.Tensor;
import org.openjdk.jmh.annotations.*;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * One-shot global magnitude pruning to 50% of a model's Linear weights. At {@code size} =
 * 235,146 the model is the MLP 784-256-128-10 and the 234,752 weights of its three matrices
 * are pruned — the workload of {@code tools/torch_speed.py} (d) (|w|, global bottom-50% by
 * {@code torch.topk}, zeroed in place). Other sizes: two Linear layers whose weights hold
 * {@code size} floats (1000·s and s·1000 with s = size/2000), biases not pruned.
 *
 * <p>Each invocation prunes fresh weights (restored outside the timed region, as the PyTorch
 * script prunes a fresh copy each repetition). {@code copy} is {@code System.arraycopy} of the
 * n weight floats into n other floats; {@code copyParallel} is the same copy on the kernels'
 * threads. The kernel reads w once to select τ (bracketed by a sample of up to 2^18 weights,
 * then one vectorised pass that only counts and gathers the ~1 % of entries near τ), then one pass
 * reads w, writes the mask as bits (n/8 bytes) and writes w ← w ⊙ m in place: a copy's
 * traffic (read w twice, write it once, against a copy's read, write-allocate read and write).
 * The masks stay bits ({@code ParameterMasks}).
 * {@code sortBaseline} is the textbook way (copy |w|, full sort, threshold, zeroing loop).
 */
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class PruneBench extends BenchDefaults {
    @Param({"235146", "10000000", "100000000"})
    public int size;

    Module model;
    List<Tensor> weights;
    float[][] w, saved, out;
    int n;

    @Setup(Level.Trial)
    public void setup() {
        if (size == ParameterLayout.MLP) {
            model = Models.mlp(1);
        } else {
            int s = size / 2000;
            model = new Sequential(new Linear(1000, s, 1), new Linear(s, 1000, 2));
        }
        weights = new ArrayList<>(MagnitudePruning.select(model, MagnitudePruning.WEIGHTS).values());
        w = ParameterLayout.arrays(weights);
        saved = ParameterLayout.copy(w, ParameterLayout.like(w));
        out = ParameterLayout.like(w);
        n = 0;
        for (float[] a : w) n += a.length;
    }

    /** Fresh weights for every call (not timed). */
    @Setup(Level.Invocation)
    public void restore() {
        ParameterLayout.copy(saved, w);
    }

    @Benchmark
    public ParameterMasks prune() {
        return MagnitudePruning.prune(model, 0.5, Scope.GLOBAL);
    }

    @Benchmark
    public float[][] copy() {
        return ParameterLayout.copy(w, out);
    }

    /** {@link #copy} split over the kernels' threads ({@code -Dlethe.threads}, default all cores). */
    @Benchmark
    public float[][] copyParallel() {
        return ParameterLayout.copyParallel(w, out);
    }

    /** The textbook way: |w| copied into one array, fully sorted, threshold read off, smaller |w| zeroed. */
    @Benchmark
    public float[][] sortBaseline() {
        float[] s = new float[n];
        int at = 0;
        for (float[] a : w) for (float v : a) s[at++] = Math.abs(v);
        Arrays.sort(s);
        float t = s[(int) (0.5 * n)];
        for (float[] a : w) for (int i = 0; i < a.length; i++) if (Math.abs(a[i]) < t) a[i] = 0f;
        return w;
    }
}
