package dev.lethe.bench;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Setup;

import java.util.Arrays;
import java.util.concurrent.TimeUnit;

/**
 * What an op's fresh output costs before its kernel writes a byte: {@code fresh} allocates a
 * float array of the CNN's first activation ([128, 16, 28, 28], 6.4 MB; the JVM zeroes it,
 * in memory no cache holds), {@code fill} writes the same number of floats into one array
 * reused from call to call. The difference is what each fresh activation, gradient or
 * temporary of that size costs a training step (a CNN step allocates tens of MB), which is
 * why the fused backwards write one output where the composed ones wrote several.
 */
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class FreshArrayBench extends BenchDefaults {
    @Param({"1605632"})
    public int n;

    float[] reused;

    @Setup
    public void setup() {
        reused = new float[n];
    }

    @Benchmark
    public float[] fresh() {
        return new float[n];
    }

    @Benchmark
    public float[] fill() {
        Arrays.fill(reused, 0f);
        return reused;
    }
}
