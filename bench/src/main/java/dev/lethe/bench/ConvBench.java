package dev.lethe.bench;

import dev.lethe.cpu.Parallel;
import dev.lethe.tensor.DType;
import dev.lethe.tensor.Tensor;
import org.openjdk.jmh.annotations.*;

import java.util.concurrent.TimeUnit;

/**
 * The CNN's layers at batch 128 on float32: conv1 (1→16, 3×3, pad 1, 28×28), conv2 (16→32,
 * 3×3, pad 1, 14×14) and maxPool 2 (on conv1's [128, 16, 28, 28] output, also after relu as
 * two nodes and as one, conv1 → relu → pool as two nodes and as one, conv2 → relu → pool as
 * one), forward alone and forward + backward through autograd; unfold alone (conv2's im2col).
 * The {@code *Loop}
 * methods are the plain scalar loops a user would write (direct 6-nested convolution, window
 * max, im2col), one thread: the baselines.
 */
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class ConvBench extends BenchDefaults {
    static final int BATCH = 128;

    @Param({"1", "2"})
    public int threads;

    Tensor x1, w1, b1, g1, x2, w2, b2, g2, p, gp, gq;
    float[] fx2, fw2, fb2, fout2, fp, fpool, fcols;

    @Setup
    public void setup() {
        Parallel.setThreads(threads);
        x1 = Tensor.randn(1, DType.FLOAT32, BATCH, 1, 28, 28);
        w1 = Tensor.randn(2, DType.FLOAT32, 16, 1, 3, 3).mul(0.3);
        b1 = Tensor.randn(3, DType.FLOAT32, 16);
        g1 = Tensor.randn(4, DType.FLOAT32, BATCH, 16, 28, 28);
        x2 = Tensor.randn(5, DType.FLOAT32, BATCH, 16, 14, 14);
        w2 = Tensor.randn(6, DType.FLOAT32, 32, 16, 3, 3).mul(0.1);
        b2 = Tensor.randn(7, DType.FLOAT32, 32);
        g2 = Tensor.randn(8, DType.FLOAT32, BATCH, 32, 14, 14);
        p = Tensor.randn(9, DType.FLOAT32, BATCH, 16, 28, 28);
        gp = Tensor.randn(10, DType.FLOAT32, BATCH, 16, 14, 14);
        gq = Tensor.randn(11, DType.FLOAT32, BATCH, 32, 7, 7);
        fx2 = x2.toFloatArray();
        fw2 = w2.toFloatArray();
        fb2 = b2.toFloatArray();
        fout2 = new float[BATCH * 32 * 14 * 14];
        fp = p.toFloatArray();
        fpool = new float[BATCH * 16 * 14 * 14];
        fcols = new float[BATCH * 16 * 9 * 14 * 14];
    }

    @Benchmark
    public Tensor conv1Forward() {
        return x1.conv2d(w1, b1, 1, 1);
    }

    @Benchmark
    public Tensor conv1ForwardBackward() {
        Tensor w = w1.detach().requiresGrad(true), b = b1.detach().requiresGrad(true);
        x1.conv2d(w, b, 1, 1).backward(g1);
        return w.grad();
    }

    @Benchmark
    public Tensor conv2Forward() {
        return x2.conv2d(w2, b2, 1, 1);
    }

    @Benchmark
    public Tensor conv2ForwardBackward() {
        Tensor x = x2.detach().requiresGrad(true), w = w2.detach().requiresGrad(true), b = b2.detach().requiresGrad(true);
        x.conv2d(w, b, 1, 1).backward(g2);
        return x.grad();
    }

    @Benchmark
    public Tensor maxPoolForward() {
        return p.maxPool2d(2);
    }

    @Benchmark
    public Tensor maxPoolForwardBackward() {
        Tensor x = p.detach().requiresGrad(true);
        x.maxPool2d(2).backward(gp);
        return x.grad();
    }

    /** relu then maxPool 2 as two nodes, forward + backward (conv1's output shape). */
    @Benchmark
    public Tensor reluThenMaxPoolForwardBackward() {
        Tensor x = p.detach().requiresGrad(true);
        x.relu().maxPool2d(2).backward(gp);
        return x.grad();
    }

    /** The same as one node ({@code reluMaxPool2d}, what a Sequential of ReLU, MaxPool2d runs): relu(x) never written. */
    @Benchmark
    public Tensor reluMaxPoolForwardBackward() {
        Tensor x = p.detach().requiresGrad(true);
        dev.lethe.ops.MaxPool2d.afterRelu(x, 2).backward(gp);
        return x.grad();
    }

    /**
     * conv1 → relu → maxPool 2 as a conv2d node and the relu-pool node, forward + backward
     * (∂w and ∂b; the input needs no gradient, as in training): the conv's [128, 16, 28, 28]
     * output is a tensor of its own.
     */
    @Benchmark
    public Tensor conv1ThenReluMaxPoolForwardBackward() {
        Tensor w = w1.detach().requiresGrad(true), b = b1.detach().requiresGrad(true);
        dev.lethe.ops.MaxPool2d.afterRelu(x1.conv2d(w, b, 1, 1), 2).backward(gp);
        return w.grad();
    }

    /** The same as one node ({@code conv2dReluMaxPool2d}, what a Sequential of Conv2d, ReLU, MaxPool2d runs). */
    @Benchmark
    public Tensor conv1ReluMaxPoolForwardBackward() {
        Tensor w = w1.detach().requiresGrad(true), b = b1.detach().requiresGrad(true);
        dev.lethe.ops.ConvReluMaxPool2d.apply(x1, w, b, 1, 1, 2).backward(gp);
        return w.grad();
    }

    /** The cnn's second block as one node, forward + backward (∂x, ∂w, ∂b): conv2 → relu → maxPool 2. */
    @Benchmark
    public Tensor conv2ReluMaxPoolForwardBackward() {
        Tensor x = x2.detach().requiresGrad(true), w = w2.detach().requiresGrad(true), b = b2.detach().requiresGrad(true);
        dev.lethe.ops.ConvReluMaxPool2d.apply(x, w, b, 1, 1, 2).backward(gq);
        return x.grad();
    }

    /** conv2's im2col: [128, 16, 14, 14] → [128, 144, 196]. */
    @Benchmark
    public Tensor unfoldConv2() {
        return x2.backend().unfold(x2, 3, 3, 1, 1, 1, 1);
    }

    /** conv2 forward as a direct 6-nested loop (zero padding by bounds checks). */
    @Benchmark
    public float[] conv2Loop() {
        int c = 16, o = 32, h = 14, w = 14;
        for (int b = 0; b < BATCH; b++)
            for (int oc = 0; oc < o; oc++)
                for (int y = 0; y < h; y++)
                    for (int z = 0; z < w; z++) {
                        float s = fb2[oc];
                        for (int ic = 0; ic < c; ic++)
                            for (int i = 0; i < 3; i++) {
                                int iy = y - 1 + i;
                                if (iy < 0 || iy >= h) continue;
                                for (int j = 0; j < 3; j++) {
                                    int ix = z - 1 + j;
                                    if (ix < 0 || ix >= w) continue;
                                    s += fw2[((oc * c + ic) * 3 + i) * 3 + j] * fx2[((b * c + ic) * h + iy) * w + ix];
                                }
                            }
                        fout2[((b * o + oc) * h + y) * w + z] = s;
                    }
        return fout2;
    }

    /** 2×2 max pooling of [128, 16, 28, 28] as plain loops. */
    @Benchmark
    public float[] maxPoolLoop() {
        int planes = BATCH * 16;
        for (int q = 0; q < planes; q++)
            for (int y = 0; y < 14; y++)
                for (int z = 0; z < 14; z++) {
                    int top = q * 784 + 2 * y * 28 + 2 * z;
                    fpool[(q * 14 + y) * 14 + z] = Math.max(Math.max(fp[top], fp[top + 1]), Math.max(fp[top + 28], fp[top + 29]));
                }
        return fpool;
    }

    /** conv2's im2col as the plain 6-nested loop. */
    @Benchmark
    public float[] unfoldLoop() {
        int c = 16, h = 14, w = 14;
        for (int b = 0; b < BATCH; b++)
            for (int ic = 0; ic < c; ic++)
                for (int i = 0; i < 3; i++)
                    for (int j = 0; j < 3; j++)
                        for (int y = 0; y < h; y++)
                            for (int z = 0; z < w; z++) {
                                int iy = y - 1 + i, ix = z - 1 + j;
                                float v = iy < 0 || iy >= h || ix < 0 || ix >= w ? 0f : fx2[((b * c + ic) * h + iy) * w + ix];
                                fcols[(((b * c + ic) * 3 + i) * 3 + j) * h * w + y * w + z] = v;
                            }
        return fcols;
    }
}
