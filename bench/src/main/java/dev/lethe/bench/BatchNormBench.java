package dev.lethe.bench;

import dev.lethe.cpu.Parallel;
import dev.lethe.ops.BatchNormalization;
import dev.lethe.tensor.DType;
import dev.lethe.tensor.Tensor;
import org.openjdk.jmh.annotations.*;

import java.util.concurrent.TimeUnit;

/**
 * Batch normalisation in training mode, forward + backward, on resnet-mini's activations at
 * batch 128: [128, 16, 28, 28] (the stem and the first two blocks) and [128, 32, 14, 14] (the
 * strided block). {@code fused} is the float32 kernel (one node, sums in float64);
 * {@code composed} the same function from mean, var, sub, div, sqrt, mul, add and their
 * backwards, as {@code nn.BatchNorm} ran it before the kernel; {@code copy} a plain copy of x,
 * the bytes one pass moves.
 */
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class BatchNormBench extends BenchDefaults {
    @Param({"16x28", "32x14"})
    public String layer;

    @Param({"1", "2"})
    public int threads;

    Tensor x, weight, bias, grad;
    float[] src, dst;

    @Setup
    public void setup() {
        Parallel.setThreads(threads);
        int c = Integer.parseInt(layer.substring(0, layer.indexOf('x'))), hw = Integer.parseInt(layer.substring(layer.indexOf('x') + 1));
        x = Tensor.randn(1, DType.FLOAT32, 128, c, hw, hw);
        grad = Tensor.randn(2, DType.FLOAT32, 128, c, hw, hw);
        weight = Tensor.randn(3, DType.FLOAT32, c);
        bias = Tensor.randn(4, DType.FLOAT32, c);
        src = x.toFloatArray();
        dst = new float[src.length];
    }

    @Benchmark
    public Tensor fused() {
        return forwardBackward(true);
    }

    @Benchmark
    public Tensor composed() {
        return forwardBackward(false);
    }

    /** The forward and backward of one training step from fresh leaves; ∂x. */
    private Tensor forwardBackward(boolean fused) {
        Tensor leaf = x.detach().requiresGrad(true), w = weight.detach().requiresGrad(true), b = bias.detach().requiresGrad(true);
        (fused ? BatchNormalization.training(leaf, w, b, 1e-5) : BatchNormalization.composed(leaf, w, b, 1e-5)).output().backward(grad);
        return leaf.grad();
    }

    @Benchmark
    public float[] copy() {
        System.arraycopy(src, 0, dst, 0, src.length);
        return dst;
    }
}
