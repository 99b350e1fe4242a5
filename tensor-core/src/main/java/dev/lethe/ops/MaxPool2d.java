package dev.lethe.ops;

import dev.lethe.autograd.Autograd;
import dev.lethe.autograd.Backward;
import dev.lethe.backend.PoolingKernels;
import dev.lethe.cpu.MaxPoolKernel;
import dev.lethe.tensor.DType;
import dev.lethe.tensor.Storage;
import dev.lethe.tensor.Tensor;

/**
 * maxPool2d without padding: out[n, c, y, x] = max_{i,j < k} x[n, c, y·s + i, x·s + j] for
 * x [N, C, H, W], shape [N, C, ⌊(H − k)/s⌋ + 1, ⌊(W − k)/s⌋ + 1]. ∂L/∂x routes each
 * output's gradient to its window's maximum (summed where windows overlap).
 * <p>float32 runs {@link MaxPoolKernel} as one node that records each window's argmax; on a
 * tie the first maximum (row-major in the window) takes the whole gradient. On a device that
 * offers {@link PoolingKernels} (CUDA does), float32 runs the device's kernel pair as one
 * node, with the same rule and the same bits. float64, and a device without them, run the
 * composition of {@link Unfold} and {@link Max} ({@link #composed}), which splits a tie's
 * gradient evenly; without ties all agree.
 */
public final class MaxPool2d {
    private MaxPool2d() {}

    /** Non-overlapping k×k windows (stride k). */
    public static Tensor apply(Tensor x, int k) {
        return apply(x, k, k);
    }

    /** @throws IllegalArgumentException on a non-4-D input or a window that does not fit */
    public static Tensor apply(Tensor x, int k, int stride) {
        Unfold.checkWindow("maxPool2d", x, k, k, stride, stride, 0, 0);
        if (x.dtype() != DType.FLOAT32) return composed(x, k, stride);
        if (x.device().isCpu()) return fused(x, k, stride);
        PoolingKernels kernels = x.backend().poolingKernels();
        // Without fused kernels the composition runs on the device's kernels.
        return kernels == null ? composed(x, k, stride) : onDevice(x, k, stride, kernels);
    }

    /** The device's kernel pair as one node, for checked float32 arguments on that device. */
    private static Tensor onDevice(Tensor x, int k, int stride, PoolingKernels kernels) {
        PoolingKernels.MaxPool forward = kernels.maxPool2d(Contiguous.dense(x), k, stride);
        return Autograd.record("maxPool2d", forward.output(), new Tensor[] {x},
                g -> new Tensor[] {kernels.maxPool2dBackward(forward, Contiguous.dense(g))});
    }

    /** unfold + max over each window, for checked arguments. */
    static Tensor composed(Tensor x, int k, int stride) {
        Tensor windows = Pooling.windows("maxPool2d", x, k, stride);
        return Pooling.restore(windows.max(new int[] {1}, false), x, k, stride);
    }

    /**
     * maxPool2d(relu(x)) with non-overlapping k×k windows, as one node: the same values and
     * gradients, bit for bit, as {@code apply(x.relu(), k)}, but on the float32 CPU path relu(x)
     * is never written out ({@link MaxPoolKernel#forwardAfterRelu}): for the CNN's first layer
     * that output and its gradient were two 6.4 MB arrays per step, each written fresh and read
     * once. Elsewhere it is that composition.
     */
    public static Tensor afterRelu(Tensor x, int k) {
        Unfold.checkWindow("maxPool2d", x, k, k, k, k, 0, 0);
        if (x.dtype() != DType.FLOAT32 || !x.device().isCpu()) return apply(x.relu(), k);
        return kernelNode(x, k, k, true);
    }

    /** The float32 kernel with argmax routing, for checked arguments. */
    static Tensor fused(Tensor x, int k, int stride) {
        return kernelNode(x, k, stride, false);
    }

    /**
     * The float32 kernel's node: maxPool2d of x, or of relu(x) when {@code afterRelu} (then
     * stride = k, and the output is saved: its backward reads it where x was positive, {@link
     * MaxPoolKernel#backwardAfterRelu}).
     */
    private static Tensor kernelNode(Tensor x, int k, int stride, boolean afterRelu) {
        int[] shape = x.shape();
        int planes = shape[0] * shape[1], h = shape[2], w = shape[3];
        int[] o = Unfold.outputSize(h, w, k, k, stride, stride, 0, 0);
        Tensor xc = Contiguous.dense(x);
        float[] xs = xc.storage().floats(), out = new float[planes * o[0] * o[1]];
        int[] argmax = new int[out.length];
        if (afterRelu) MaxPoolKernel.forwardAfterRelu(xs, xc.offset(), planes, h, w, k, out, argmax);
        else MaxPoolKernel.forward(xs, xc.offset(), planes, h, w, k, stride, out, argmax);
        Tensor y = Tensor.wrap(Storage.wrap(out), shape[0], shape[1], o[0], o[1]);
        Backward rule = g -> {
            Tensor gc = Contiguous.dense(g);
            float[] dx = new float[planes * h * w];
            if (afterRelu) MaxPoolKernel.backwardAfterRelu(gc.storage().floats(), gc.offset(), argmax, out, planes, h, w, k, dx);
            else MaxPoolKernel.backward(gc.storage().floats(), gc.offset(), argmax, planes, h, w, k, stride, dx);
            return new Tensor[] {Tensor.wrap(Storage.wrap(dx), shape)};
        };
        return afterRelu ? Autograd.record("reluMaxPool2d", y, new Tensor[] {x}, new Tensor[] {y}, rule)
                : Autograd.record("maxPool2d", y, new Tensor[] {x}, rule);
    }
}
