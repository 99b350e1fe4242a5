package dev.lethe.bench;

import dev.lethe.cuda.CudaBackend;
import dev.lethe.cuda.CudaContext;
import dev.lethe.cuda.CudaProbe;
import dev.lethe.tensor.DType;
import dev.lethe.tensor.Device;
import dev.lethe.tensor.Tensor;
import org.openjdk.jmh.annotations.*;

import java.util.concurrent.TimeUnit;

/**
 * Elementwise kernels on the GPU against the memory system's ceiling, a device-to-device copy
 * ({@code cuMemcpyDtoDAsync}) of the same floats. Synchronised inside the measured call.
 * Bytes moved per element: copy 8, relu 8, add 12 (two reads, one write), so GB/s =
 * bytes·n / seconds / 1e9; a kernel at the copy's GB/s runs at the memory's speed.
 * The kernels write into one output tensor, as the copy does; {@code reluFresh} allocates
 * its output each call, as {@code x.relu()} does.
 */
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "-Xms4g", "-Xmx4g", "-XX:+AlwaysPreTouch", "--enable-native-access=ALL-UNNAMED"})
public class GpuElementwiseBench extends BenchDefaults {
    @Param({"1048576", "16777216", "100000000"})
    public int n;

    Tensor x, y, z;
    CudaContext context;

    @Setup
    public void setup() {
        CudaProbe.require();
        Device gpu = Device.cuda(0);
        x = Tensor.randn(1, n).to(gpu);
        y = Tensor.randn(2, n).to(gpu);
        z = Tensor.zeros(DType.FLOAT32, gpu, n);
        context = CudaBackend.of(0).context();
    }

    @Benchmark
    public Tensor copy() {
        context.copy(CudaBackend.ptr(x), 0, CudaBackend.ptr(z), 0, n);
        context.synchronize();
        return z;
    }

    @Benchmark
    public Tensor relu() {
        x.relu(z);
        context.synchronize();
        return z;
    }

    @Benchmark
    public Tensor add() {
        x.add(y, z);
        context.synchronize();
        return z;
    }

    /** A broadcast add (a row vector over a [n/256, 256] matrix): the strided kernel. */
    @Benchmark
    public Tensor addBroadcast() {
        x.reshape(n / 256, 256).add(y.narrow(0, 0, 256), z.reshape(n / 256, 256));
        context.synchronize();
        return z;
    }

    /** relu into a fresh tensor each call: the kernel plus what allocation costs (tensors are freed by the Cleaner, after a GC). */
    @Benchmark
    public Tensor reluFresh() {
        Tensor r = x.relu();
        context.synchronize();
        return r;
    }
}
