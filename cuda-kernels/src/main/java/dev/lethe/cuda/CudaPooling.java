package dev.lethe.cuda;

import dev.lethe.backend.PoolingKernels;
import dev.lethe.tensor.Shapes;
import dev.lethe.tensor.Tensor;

/**
 * Max pooling with arg-max routing ({@code pool.cu}) on CUDA tensors [N, C, H, W]: the fused
 * kernel pair behind tensor-core's maxPool2d on a GPU ({@link dev.lethe.backend.PoolingKernels}),
 * tested against the CPU's MaxPoolKernel.
 */
public final class CudaPooling {
    private CudaPooling() {}

    /**
     * The forward's output and each window's arg-max (flat index within its plane), for the
     * backward. The arg-maxes are int32 held in a float32 tensor's memory of the output's
     * shape, so that they are device storage like any other (a MemoryScope releases them).
     */
    public record MaxPoolForward(Tensor out, Tensor argmax, int[] inputShape, int k, int stride) implements PoolingKernels.MaxPool {
        @Override
        public Tensor output() {
            return out;
        }
    }

    /** out[n, c, y, x] = max_{i,j<k} x[n, c, y·s + i, x·s + j], no padding; x contiguous. */
    public static MaxPoolForward maxPool2d(Tensor x, int k, int stride) {
        CudaBackend be = DeviceTensors.backend("maxPool2d", "x", x);
        int[] s = x.shape();
        if (s.length != 4 || k < 1 || stride < 1 || s[2] < k || s[3] < k) {
            throw new IllegalArgumentException("maxPool2d: a " + k + "×" + k + " window at stride " + stride + " does not fit input " + Shapes.str(s));
        }
        int oh = (s[2] - k) / stride + 1, ow = (s[3] - k) / stride + 1, planes = s[0] * s[1];
        Tensor out = be.empty(s[0], s[1], oh, ow);
        Tensor argmax = be.empty(out.shape());
        if (out.numel() > 0) {
            Launch.of(be.context(), Kernel.MAXPOOL_FORWARD).over(out.numel()).ptr(CudaBackend.ptr(x)).ptr(CudaBackend.ptr(out)).ptr(CudaBackend.ptr(argmax))
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
            Launch.of(be.context(), Kernel.MAXPOOL_BACKWARD).over(dx.numel()).ptr(CudaBackend.ptr(g)).ptr(CudaBackend.ptr(f.argmax())).ptr(CudaBackend.ptr(dx))
                    .i(s[0] * s[1]).i(s[2]).i(s[3]).i(f.k()).i(f.stride()).i(oh).i(ow).run();
        }
        return dx;
    }
}
