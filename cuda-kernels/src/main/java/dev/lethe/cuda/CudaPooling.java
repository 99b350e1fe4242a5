package dev.lethe.cuda;

import dev.lethe.tensor.Shapes;
import dev.lethe.tensor.Tensor;
import jcuda.driver.CUdeviceptr;

/**
 * Max pooling with arg-max routing ({@code pool.cu}) on CUDA tensors [N, C, H, W]: the fused
 * kernel pair, tested against the CPU's MaxPoolKernel (tensor-core's op composes unfold and
 * max on a device).
 */
public final class CudaPooling {
    private CudaPooling() {}

    /** The forward's output and each window's arg-max (flat index within its plane), for the backward. */
    public record MaxPoolForward(Tensor out, DeviceBuffer<CUdeviceptr> argmax, int[] inputShape, int k, int stride) {}

    /** out[n, c, y, x] = max_{i,j<k} x[n, c, y·s + i, x·s + j], no padding. */
    public static MaxPoolForward maxPool2d(Tensor x, int k, int stride) {
        CudaBackend be = DeviceTensors.backend("maxPool2d", "x", x);
        int[] s = x.shape();
        if (s.length != 4 || k < 1 || stride < 1 || s[2] < k || s[3] < k) {
            throw new IllegalArgumentException("maxPool2d: a " + k + "×" + k + " window at stride " + stride + " does not fit input " + Shapes.str(s));
        }
        int oh = (s[2] - k) / stride + 1, ow = (s[3] - k) / stride + 1, planes = s[0] * s[1];
        Tensor out = be.empty(s[0], s[1], oh, ow);
        DeviceBuffer<CUdeviceptr> argmax = DeviceBuffer.allocate(be.context().allocator(), (long) Math.max(out.numel(), 1) * Integer.BYTES);
        if (out.numel() > 0) {
            Launch.of(be.context(), Kernel.MAXPOOL_FORWARD).over(out.numel()).ptr(CudaBackend.ptr(x)).ptr(CudaBackend.ptr(out)).ptr(argmax.handle())
                    .i(planes).i(s[2]).i(s[3]).i(k).i(stride).i(oh).i(ow).run();
        }
        return new MaxPoolForward(out, argmax, s, k, stride);
    }

    /** dx: each output's gradient g added at its window's arg-max (summed where windows overlap). */
    public static Tensor maxPool2dBackward(MaxPoolForward f, Tensor g) {
        CudaBackend be = DeviceTensors.backend("maxPool2dBackward", "g", g);
        if (!java.util.Arrays.equals(g.shape(), f.out().shape())) {
            throw new IllegalArgumentException("maxPool2dBackward: g " + Shapes.str(g.shape()) + " differs from the output " + Shapes.str(f.out().shape()));
        }
        int[] s = f.inputShape();
        int oh = f.out().size(2), ow = f.out().size(3);
        Tensor dx = be.empty(s);
        if (dx.numel() > 0) {
            Launch.of(be.context(), Kernel.MAXPOOL_BACKWARD).over(dx.numel()).ptr(CudaBackend.ptr(g)).ptr(f.argmax().handle()).ptr(CudaBackend.ptr(dx))
                    .i(s[0] * s[1]).i(s[2]).i(s[3]).i(f.k()).i(f.stride()).i(oh).i(ow).run();
        }
        return dx;
    }
}
