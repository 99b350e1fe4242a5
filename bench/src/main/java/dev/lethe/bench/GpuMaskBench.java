package dev.lethe.bench;

import dev.lethe.cuda.CudaBackend;
import dev.lethe.cuda.CudaContext;
import dev.lethe.cuda.CudaOptimizerSteps;
import dev.lethe.cuda.CudaProbe;
import dev.lethe.cuda.CudaSelect;
import dev.lethe.cuda.CudaSurgery;
import dev.lethe.tensor.DType;
import dev.lethe.tensor.Device;
import dev.lethe.tensor.Tensor;
import org.openjdk.jmh.annotations.*;

import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The unlearning kernels on the GPU, synchronised inside the measured call: a saliency mask
 * (exact top-k of |∇| by radix select, k = n/10: four histogram passes, then the tie-aware
 * mask), applying a mask, a masked SGD step with momentum, one Fisher accumulation, and gradient
 * surgery's direction and float64 dots.
 */
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "-Xms4g", "-Xmx4g", "-XX:+AlwaysPreTouch", "--enable-native-access=ALL-UNNAMED"})
public class GpuMaskBench extends BenchDefaults {
    @Param({"1048576", "16777216", "100000000"})
    public int n;

    Tensor grad, weights, mask, buf, fisher;
    CudaContext context;

    @Setup
    public void setup() {
        CudaProbe.require();
        Device gpu = Device.cuda(0);
        grad = Tensor.randn(1, n).to(gpu);
        weights = Tensor.randn(2, n).to(gpu);
        mask = Tensor.rand(3, n).gt(0.5).to(gpu);
        buf = Tensor.zeros(DType.FLOAT32, gpu, n);
        fisher = Tensor.zeros(DType.FLOAT32, gpu, n);
        context = CudaBackend.of(0).context();
    }

    @Benchmark
    public Tensor saliencyMask() {
        Tensor m = CudaSelect.topKMask(grad, n / 10, true);
        context.synchronize();
        return m;
    }

    @Benchmark
    public Tensor surgeryDirection() {
        CudaSurgery.combine(weights, grad, 0.5f, 1.5f, buf);
        context.synchronize();
        return buf;
    }

    @Benchmark
    public double[] surgeryDots() {
        return CudaSurgery.dots3(List.of(weights), List.of(grad)); // reads its partials back: synchronised
    }

    @Benchmark
    public Tensor applyMask() {
        CudaSurgery.applyMask(weights, mask);
        context.synchronize();
        return weights;
    }

    @Benchmark
    public Tensor maskedSgdStep() {
        CudaOptimizerSteps.sgd(weights, grad, buf, mask, 1e-6, 0.9, 0, false, 0, false);
        context.synchronize();
        return weights;
    }

    @Benchmark
    public Tensor fisherAccumulate() {
        CudaSurgery.fisherAccumulate(fisher, grad);
        context.synchronize();
        return fisher;
    }
}
