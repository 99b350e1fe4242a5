package dev.lethe.bench;

import dev.lethe.cuda.CudaBackend;
import dev.lethe.cuda.CudaContext;
import dev.lethe.cuda.CudaProbe;
import dev.lethe.cuda.GemmEngines;
import dev.lethe.tensor.DType;
import dev.lethe.tensor.Device;
import dev.lethe.tensor.Tensor;
import org.openjdk.jmh.annotations.*;

import java.util.concurrent.TimeUnit;

/**
 * SGEMM C = A·B on the GPU, square n×n float32, row-major, with the own tiled kernel ("own")
 * or cuBLAS ("cublas", only where JCublas2 loads: pass {@code -p engine=own} elsewhere). Each
 * call waits for the GPU (the stream is synchronised inside the measured call), so the score
 * is the kernel's time plus one launch and one synchronisation. GFLOPS = 2·n³ / seconds / 1e9.
 * Without a GPU the setup fails with the probe's reason.
 */
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "-Xms4g", "-Xmx4g", "-XX:+AlwaysPreTouch", "--enable-native-access=ALL-UNNAMED"})
public class GpuGemmBench extends BenchDefaults {
    @Param({"1000", "1024", "2048", "4096"})
    public int n;

    @Param({"own", "cublas"})
    public String engine;

    Tensor a, b, c;
    CudaContext context;

    @Setup
    public void setup() {
        CudaProbe.require();
        if (!GemmEngines.available(0).contains(engine)) {
            throw new IllegalStateException(engine + " does not run here: " + CudaBackend.of(0).gemmImplementation() + " (use -p engine=own)");
        }
        Device gpu = Device.cuda(0);
        a = Tensor.randn(1, n, n).to(gpu);
        b = Tensor.randn(2, n, n).to(gpu);
        c = Tensor.zeros(DType.FLOAT32, gpu, n, n);
        context = CudaBackend.of(0).context();
    }

    @Benchmark
    public Tensor sgemm() {
        GemmEngines.sgemm(engine, a, b, c);
        context.synchronize();
        return c;
    }
}
