package dev.lethe.bench;

import dev.lethe.cpu.Parallel;
import dev.lethe.tensor.Tensor;
import org.openjdk.jmh.annotations.*;

import java.util.concurrent.TimeUnit;

/**
 * Large elementwise kernels against the memory-bandwidth floor. {@code copy} moves the same
 * bytes as a unary op (read n floats, write n floats) with {@code System.arraycopy}; the
 * {@code *Loop} methods are plain Java loops over arrays (what C2's auto-vectoriser makes of
 * them), the scalar baseline. {@code add}, {@code mulScalar} and {@code exp} return a fresh
 * tensor, which the JVM zeroes before the kernel writes it; {@code addOut}, {@code mulScalarOut}
 * and {@code expOut} write the same results into one tensor made once ({@code x.add(y, out)}).
 */
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class ElementwiseBench extends BenchDefaults {
    @Param({"1000003", "10000000"})
    public int size;

    @Param({"1", "2"})
    public int threads;

    Tensor x, y, xAbs, result;
    float[] xa, ya, xAbsa, out;

    @Setup
    public void setup() {
        Parallel.setThreads(threads);
        x = Tensor.randn(1, size);
        y = Tensor.randn(2, size);
        xa = x.toFloatArray();
        ya = y.toFloatArray();
        xAbs = x.abs(); // log's domain
        xAbsa = xAbs.toFloatArray();
        out = new float[size];
        result = Tensor.zeros(size);
    }

    @Benchmark
    public Tensor add() {
        return x.add(y);
    }

    @Benchmark
    public Tensor mulScalar() {
        return x.mul(1.5);
    }

    @Benchmark
    public Tensor exp() {
        return x.exp();
    }

    @Benchmark
    public Tensor addOut() {
        return x.add(y, result);
    }

    @Benchmark
    public Tensor mulScalarOut() {
        return x.mul(1.5, result);
    }

    @Benchmark
    public Tensor expOut() {
        return x.exp(result);
    }

    @Benchmark
    public Tensor log() {
        return xAbs.log();
    }

    @Benchmark
    public Tensor tanh() {
        return x.tanh();
    }

    @Benchmark
    public Tensor sigmoid() {
        return x.sigmoid();
    }

    @Benchmark
    public float[] copy() {
        System.arraycopy(xa, 0, out, 0, size);
        return out;
    }

    @Benchmark
    public float[] addLoop() {
        for (int i = 0; i < size; i++) out[i] = xa[i] + ya[i];
        return out;
    }

    @Benchmark
    public float[] expLoop() {
        for (int i = 0; i < size; i++) out[i] = (float) Math.exp(xa[i]);
        return out;
    }

    @Benchmark
    public float[] logLoop() {
        for (int i = 0; i < size; i++) out[i] = (float) Math.log(xAbsa[i]);
        return out;
    }

    @Benchmark
    public float[] tanhLoop() {
        for (int i = 0; i < size; i++) out[i] = (float) Math.tanh(xa[i]);
        return out;
    }

    @Benchmark
    public float[] sigmoidLoop() {
        for (int i = 0; i < size; i++) out[i] = (float) (1.0 / (1.0 + Math.exp(-xa[i])));
        return out;
    }
}
