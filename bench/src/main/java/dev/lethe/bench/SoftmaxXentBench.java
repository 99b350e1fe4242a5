package dev.lethe.bench;

import dev.lethe.cpu.Parallel;
import dev.lethe.tensor.DType;
import dev.lethe.tensor.Tensor;
import org.openjdk.jmh.annotations.*;

import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

/**
 * Softmax cross-entropy forward + backward on float32 logits [n, c] with mean reduction.
 * {@code fused} is {@code crossEntropy} (one node, the fused kernel), {@code composed} the same
 * loss built from logSoftmax + nllLoss (max, sub, exp, sum, log, sub, gather, mean and their
 * backwards), and {@code scalarLoop} the plain Java loops a user would write (same math,
 * {@code Math.exp}, one thread).
 */
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class SoftmaxXentBench extends BenchDefaults {
    @Param({"128"})
    public int n;

    @Param({"10", "1000"})
    public int c;

    @Param({"1", "2"})
    public int threads;

    Tensor logits;
    int[] targets;
    float[] x, dx;

    @Setup
    public void setup() {
        Parallel.setThreads(threads);
        logits = Tensor.randn(1, DType.FLOAT32, n, c).mul(3);
        x = logits.toFloatArray();
        dx = new float[n * c];
        SplittableRandom r = new SplittableRandom(2);
        targets = new int[n];
        for (int i = 0; i < n; i++) targets[i] = r.nextInt(c);
    }

    @Benchmark
    public Tensor fused() {
        Tensor leaf = logits.detach().requiresGrad(true);
        leaf.crossEntropy(targets).backward();
        return leaf.grad();
    }

    @Benchmark
    public Tensor composed() {
        Tensor leaf = logits.detach().requiresGrad(true);
        leaf.logSoftmax(1).nllLoss(targets).backward();
        return leaf.grad();
    }

    /** Loss and ∂x = (softmax − onehot)/n with plain loops, one thread. */
    @Benchmark
    public float scalarLoop() {
        float loss = 0;
        for (int i = 0; i < n; i++) {
            int row = i * c;
            float m = Float.NEGATIVE_INFINITY;
            for (int j = 0; j < c; j++) m = Math.max(m, x[row + j]);
            float s = 0;
            for (int j = 0; j < c; j++) {
                float e = (float) Math.exp(x[row + j] - m);
                dx[row + j] = e;
                s += e;
            }
            loss += (float) Math.log(s) - (x[row + targets[i]] - m);
            float k = 1f / (s * n);
            for (int j = 0; j < c; j++) dx[row + j] *= k;
            dx[row + targets[i]] -= 1f / n;
        }
        return loss / n;
    }
}
