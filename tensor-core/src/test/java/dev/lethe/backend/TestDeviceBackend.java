package dev.lethe.backend;

import dev.lethe.cpu.MaxPoolKernel;
import dev.lethe.cpu.SoftmaxCrossEntropyKernel;
import dev.lethe.tensor.DType;
import dev.lethe.tensor.Storage;
import dev.lethe.tensor.Tensor;

/**
 * The test device's kernels: each input on the test device is viewed as a host tensor over
 * its array (same shape, strides, offset), the CPU backend computes, and the result goes into
 * fresh test-device memory. Host operands are taken as they are, as a real device backend
 * takes them (by copying them over).
 */
final class TestDeviceBackend implements Backend {
    static final TestDeviceBackend INSTANCE = new TestDeviceBackend();
    private static final Backend CPU = Backends.cpu();

    /** A host tensor over t's test-device array (same shape, strides, offset); a host tensor as it is. */
    static Tensor host(Tensor t) {
        if (t.storage().deviceMemory() instanceof TestDeviceMemory m) return Tensor.wrap(Storage.wrap(m.data), t.shape(), t.strides(), t.offset());
        if (t.storage().deviceMemory() != null) throw new IllegalStateException("test backend got memory of " + t.device());
        return t;
    }

    private static Tensor dev(Tensor hostResult) {
        if (hostResult.dtype() != DType.FLOAT32) throw new IllegalArgumentException("test device: only float32, got " + hostResult.dtype());
        return Tensor.wrap(Storage.onDevice(new TestDeviceMemory(TestDeviceProvider.DEV0, hostResult.toFloatArray())), hostResult.shape());
    }

    @Override
    public String name() {
        return "testdev";
    }

    /** Row-wise softmax as the CPU composes it, on a host view of the device array; off with {@link TestDeviceProvider#softmaxKernels}. */
    @Override
    public SoftmaxKernels softmaxKernels() {
        if (!TestDeviceProvider.softmaxKernels) return null;
        return (x, log) -> {
            if (x.dim() != 2 || !x.isContiguous()) throw new IllegalArgumentException("softmax rows: expected contiguous [rows, c], got " + x);
            Tensor hx = host(x);
            return dev(log ? hx.logSoftmax(1) : hx.softmax(1));
        };
    }

    /** The CPU's max-pool kernels on the device arrays; the arg-maxes stay in the forward's record. */
    @Override
    public PoolingKernels poolingKernels() {
        if (!TestDeviceProvider.poolingKernels) return null;
        record Forward(Tensor output, int[] argmax, int[] inputShape, int k, int stride) implements PoolingKernels.MaxPool {}
        return new PoolingKernels() {
            @Override
            public MaxPool maxPool2d(Tensor x, int k, int stride) {
                int[] s = x.shape();
                int oh = (s[2] - k) / stride + 1, ow = (s[3] - k) / stride + 1;
                Tensor hx = host(x);
                float[] out = new float[s[0] * s[1] * oh * ow];
                int[] argmax = new int[out.length];
                MaxPoolKernel.forward(hx.storage().floats(), hx.offset(), s[0] * s[1], s[2], s[3], k, stride, out, argmax);
                return new Forward(dev(Tensor.fromArray(out, s[0], s[1], oh, ow)), argmax, s, k, stride);
            }

            @Override
            public Tensor maxPool2dBackward(MaxPool forward, Tensor g) {
                Forward f = (Forward) forward;
                int[] s = f.inputShape();
                Tensor hg = host(g);
                float[] dx = new float[s[0] * s[1] * s[2] * s[3]];
                MaxPoolKernel.backward(hg.storage().floats(), hg.offset(), f.argmax(), s[0] * s[1], s[2], s[3], f.k(), f.stride(), dx);
                return dev(Tensor.fromArray(dx, s));
            }
        };
    }

    /** The CPU's fused kernel on the device arrays, results into fresh device memory. */
    @Override
    public CrossEntropyKernels crossEntropyKernels() {
        return new CrossEntropyKernels() {
            @Override
            public Tensor[] forward(Tensor logits, int[] targets, double labelSmoothing, boolean keepProbs) {
                int n = logits.size(0), c = logits.size(1);
                Tensor x = host(logits);
                float[] probs = keepProbs ? new float[n * c] : null;
                float[] losses = SoftmaxCrossEntropyKernel.forward(x.storage().floats(), x.offset(), n, c, targets, labelSmoothing, probs);
                return new Tensor[] {dev(Tensor.fromArray(losses, n)), keepProbs ? dev(Tensor.fromArray(probs, n, c)) : null};
            }

            @Override
            public Tensor backward(Tensor probs, int[] targets, double labelSmoothing, Tensor g, float scale) {
                int n = probs.size(0), c = probs.size(1);
                Tensor hg = host(g);
                float[] dx = new float[n * c];
                SoftmaxCrossEntropyKernel.backward(host(probs).contiguous().toFloatArray(), n, c, targets, labelSmoothing,
                        hg.storage().floats(), hg.offset(), hg.dim() == 0 ? 0 : hg.strides()[0], scale, dx);
                return dev(Tensor.fromArray(dx, n, c));
            }
        };
    }

    @Override
    public SurgeryKernels surgeryKernels() {
        return TestDeviceSurgeryKernels.enabled ? TestDeviceSurgeryKernels.INSTANCE : null;
    }

    @Override
    public OptimizerKernels optimizerKernels() {
        return TestDeviceOptimizerKernels.enabled ? TestDeviceOptimizerKernels.INSTANCE : null;
    }

    @Override
    public Tensor unary(UnaryOp op, Tensor x, double p, double q) {
        return dev(CPU.unary(op, host(x), p, q));
    }

    @Override
    public Tensor binary(BinaryOp op, Tensor a, Tensor b) {
        return dev(CPU.binary(op, host(a), host(b)));
    }

    @Override
    public Tensor where(Tensor cond, Tensor a, Tensor b) {
        return dev(CPU.where(host(cond), host(a), host(b)));
    }

    @Override
    public Tensor reduce(ReduceOp op, Tensor x, int[] dims, boolean keepDim) {
        return dev(CPU.reduce(op, host(x), dims, keepDim));
    }

    @Override
    public Tensor argReduce(boolean max, Tensor x, int dim, boolean keepDim) {
        return dev(CPU.argReduce(max, host(x), dim, keepDim));
    }

    @Override
    public Tensor matmul(Tensor a, Tensor b) {
        return dev(CPU.matmul(host(a), host(b)));
    }

    /** Writes through the host view of dst, which aliases its device array. */
    @Override
    public void copyInto(Tensor dst, Tensor src) {
        CPU.copyInto(host(dst), host(src));
    }

    @Override
    public Tensor cast(Tensor x, DType dtype) {
        return dev(CPU.cast(host(x), dtype));
    }

    @Override
    public Tensor indexSelect(Tensor x, int dim, int[] index) {
        return dev(CPU.indexSelect(host(x), dim, index));
    }

    @Override
    public Tensor indexAdd(int[] shape, int dim, int[] index, Tensor src) {
        return dev(CPU.indexAdd(shape, dim, index, host(src)));
    }

    @Override
    public Tensor gather(Tensor x, int dim, Tensor index) {
        return dev(CPU.gather(host(x), dim, host(index)));
    }

    @Override
    public Tensor scatterAdd(int[] shape, int dim, Tensor index, Tensor src) {
        return dev(CPU.scatterAdd(shape, dim, host(index), host(src)));
    }

    @Override
    public Tensor unfold(Tensor x, int kh, int kw, int sh, int sw, int ph, int pw) {
        return dev(CPU.unfold(host(x), kh, kw, sh, sw, ph, pw));
    }

    @Override
    public Tensor fold(Tensor cols, int[] shape, int kh, int kw, int sh, int sw, int ph, int pw) {
        return dev(CPU.fold(host(cols), shape, kh, kw, sh, sw, ph, pw));
    }
}
