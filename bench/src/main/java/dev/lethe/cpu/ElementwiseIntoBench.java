package dev.lethe.cpu;

import dev.lethe.backend.BinaryOp;
import dev.lethe.backend.UnaryOp;
import dev.lethe.bench.BenchDefaults;
import dev.lethe.tensor.Tensor;
import org.openjdk.jmh.annotations.*;

import java.util.concurrent.TimeUnit;

/**
 * The elementwise kernels alone, writing into an output that already exists, against a copy of
 * the same bytes. {@code x.add(y)} and {@code x.exp()} ({@link dev.lethe.bench.ElementwiseBench})
 * also allocate a fresh n-float result, which the JVM zeroes before the kernel writes it; here
 * the kernels run exactly as the ops run them on a contiguous tensor ({@link StridedLoop}'s
 * chunks of {@link StridedLoop#GRAIN} on the kernels' threads), into one reused array.
 *
 * <p>{@code copy} moves what a unary kernel moves (n floats read, n written) and
 * {@code copyBinaryBytes} what a binary one moves (2n read, n written: a copy of 1.5n floats),
 * both with {@code System.arraycopy} on the calling thread. In package {@code dev.lethe.cpu}
 * because the kernels are package-private.
 */
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class ElementwiseIntoBench extends BenchDefaults {
    @Param({"10000000"})
    public int size;

    @Param({"1", "2"})
    public int threads;

    float[] x, y, out, wide, wideOut;

    @Setup
    public void setup() {
        Parallel.setThreads(threads);
        x = Tensor.randn(1, size).toFloatArray();
        y = Tensor.randn(2, size).toFloatArray();
        out = new float[size];
        wide = Tensor.randn(3, size + size / 2).toFloatArray();
        wideOut = new float[wide.length];
    }

    @Benchmark
    public float[] add() {
        Parallel.forChunks(size, StridedLoop.GRAIN, (s, e) -> ElementwiseKernels.binaryRow(BinaryOp.ADD, e - s, out, s, 1, x, s, 1, y, s, 1));
        return out;
    }

    @Benchmark
    public float[] mulScalar() {
        Parallel.forChunks(size, StridedLoop.GRAIN, (s, e) -> ElementwiseKernels.unaryRow(UnaryOp.SCALE_SHIFT, 1.5f, 0f, e - s, out, s, 1, x, s, 1));
        return out;
    }

    @Benchmark
    public float[] exp() {
        Parallel.forChunks(size, StridedLoop.GRAIN, (s, e) -> ElementwiseKernels.unaryRow(UnaryOp.EXP, 0f, 0f, e - s, out, s, 1, x, s, 1));
        return out;
    }

    @Benchmark
    public float[] copy() {
        System.arraycopy(x, 0, out, 0, size);
        return out;
    }

    @Benchmark
    public float[] copyBinaryBytes() {
        System.arraycopy(wide, 0, wideOut, 0, wide.length);
        return wideOut;
    }
}
