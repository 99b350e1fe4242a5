package dev.lethe.bench;

import dev.lethe.cpu.Parallel;
import org.openjdk.jmh.annotations.*;

import java.util.concurrent.TimeUnit;

/**
 * The skinny products one MLP training step makes (batch 128, layers 784→256→128→10):
 * forward X·Wᵀ is NT, the weight gradient gᵀ·X is TN and the input gradient g·W is NN.
 * {@code shape} is "m×k×n variant": C[m×n] = op(A)[m×k]·op(B)[k×n].
 * GFLOPS = 2·m·k·n / (score in seconds) / 1e9.
 */
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class TrainingShapeBench extends BenchDefaults {
    @Param({
        "128x784x256 NT", "128x256x128 NT", "128x128x10 NT",     // forward: X·Wᵀ
        "256x128x784 TN", "128x128x256 TN", "10x128x128 TN",     // weight gradients: gᵀ·X
        "128x256x784 NN", "128x128x256 NN", "128x10x128 NN"})    // input gradients: g·W
    public String shape;

    @Param({"1", "2"})
    public int threads;

    GemmWorkload product;

    @Setup
    public void setup() {
        product = GemmWorkload.parse(shape);
        Parallel.setThreads(threads);
    }

    @Benchmark
    public float[] lethe() {
        return product.run();
    }
}
