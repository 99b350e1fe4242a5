package dev.lethe.bench;

import dev.lethe.cpu.Parallel;
import dev.lethe.tensor.Tensor;
import org.openjdk.jmh.annotations.*;

import java.util.concurrent.TimeUnit;

/**
 * Reductions over large tensors: a full sum, a row-wise sum of a [n/1000, 1000] matrix and a
 * column-wise sum of the same (the bias-gradient shape). {@code copy} moves the bytes the
 * reduction reads once; {@code sumLoop} is the plain Java loop.
 */
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class ReduceBench extends BenchDefaults {
    @Param({"1000000", "10000000"})
    public int size;

    @Param({"1", "2"})
    public int threads;

    Tensor x, matrix;
    float[] xa, out;

    @Setup
    public void setup() {
        Parallel.setThreads(threads);
        x = Tensor.randn(1, size);
        matrix = x.reshape(size / 1000, 1000);
        xa = x.toFloatArray();
        out = new float[size];
    }

    @Benchmark
    public Tensor sumAll() {
        return x.sum();
    }

    @Benchmark
    public Tensor sumRows() {
        return matrix.sum(new int[] {1}, false);
    }

    @Benchmark
    public Tensor sumColumns() {
        return matrix.sum(new int[] {0}, false);
    }

    @Benchmark
    public Tensor maxAll() {
        return x.max();
    }

    @Benchmark
    public float[] copy() {
        System.arraycopy(xa, 0, out, 0, size);
        return out;
    }

    @Benchmark
    public float sumLoop() {
        float s = 0;
        for (int i = 0; i < size; i++) s += xa[i];
        return s;
    }
}
