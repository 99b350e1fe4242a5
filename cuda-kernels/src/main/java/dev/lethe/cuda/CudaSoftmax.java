package dev.lethe.cuda;

import dev.lethe.tensor.Shapes;
import dev.lethe.tensor.Tensor;
import jcuda.driver.CUdeviceptr;

/**
 * Fused row kernels of {@code softmax.cu} on CUDA tensors [rows, c]: softmax, log-softmax,
 * and softmax + cross-entropy with its backward (the same formulas as tensor-core's CPU
 * {@code SoftmaxCrossEntropyKernel}), tested against the CPU. The cross-entropy pair is this
 * device's {@link dev.lethe.backend.CrossEntropyKernels}, which tensor-core's crossEntropy
 * uses; {@link #softmax} is its {@link dev.lethe.backend.SoftmaxKernels}, which softmax and
 * log-softmax use along a last dimension.
 */
public final class CudaSoftmax {
    private CudaSoftmax() {}

    /** The forward's outputs: per-row losses [rows] and, when asked for, the softmax [rows, c]. */
    public record CrossEntropyForward(Tensor losses, Tensor probs) {}

    /**
     * softmax (or log-softmax) of each row of a 2-D CUDA tensor: y_j = e^(x_j − m)/s, or
     * (x_j − m) − ln s, with m the row's maximum and s = Σ e^(x_j − m).
     */
    public static Tensor softmax(Tensor x, boolean log) {
        CudaBackend be = DeviceTensors.backend("softmax", "x", rows("softmax", x));
        int rows = x.size(0), c = x.size(1);
        Tensor y = be.empty(rows, c);
        if (y.numel() > 0) {
            Launch.of(be.context(), Kernel.SOFTMAX_ROWS).grid(Math.min(rows, 65_535), 1, 1).ptr(CudaBackend.ptr(x)).ptr(CudaBackend.ptr(y))
                    .i(rows).i(c).i(log ? 1 : 0).run();
        }
        return y;
    }

    /**
     * lossᵢ = (1−ε)(ln s − (x_{tᵢ} − m)) + ε(ln s − mean_j(x_j − m)) for logits [rows, c] and
     * targets tᵢ ∈ [0, c); with {@code keepProbs} the softmax comes back too, for the backward.
     */
    public static CrossEntropyForward crossEntropy(Tensor logits, int[] targets, double eps, boolean keepProbs) {
        CudaBackend be = DeviceTensors.backend("crossEntropy", "logits", rows("crossEntropy", logits));
        int rows = logits.size(0), c = logits.size(1);
        checkTargets(targets, rows, c);
        Tensor losses = be.empty(rows), probs = keepProbs ? be.empty(rows, c) : null;
        if (rows == 0) return new CrossEntropyForward(losses, probs);
        try (DeviceBuffer<CUdeviceptr> t = be.context().uploadInts(targets)) {
            Launch.of(be.context(), Kernel.SOFTMAX_XENT).grid(Math.min(rows, 65_535), 1, 1).ptr(CudaBackend.ptr(logits)).ptr(t.handle())
                    .ptr(CudaBackend.ptr(losses)).ptrOrNull(probs == null ? null : CudaBackend.ptr(probs)).i(rows).i(c).f((float) eps).run();
        }
        return new CrossEntropyForward(losses, probs);
    }

    /**
     * ∂x_{i,j} = (p_{i,j} − (1−ε)[j = tᵢ] − ε/c)·gᵢ·scale, where g is the gradient of the
     * losses: [rows], or one element (a reduced loss) used for every row.
     */
    public static Tensor crossEntropyBackward(Tensor probs, int[] targets, double eps, Tensor g, float scale) {
        CudaBackend be = DeviceTensors.backend("crossEntropyBackward", "probs", rows("crossEntropyBackward", probs));
        int rows = probs.size(0), c = probs.size(1);
        checkTargets(targets, rows, c);
        Tensor dg = be.onDevice(g);
        if (dg.numel() != 1 && dg.numel() != rows) {
            throw new IllegalArgumentException("crossEntropyBackward: g " + Shapes.str(g.shape()) + " must hold 1 or " + rows + " values");
        }
        int gStride = dg.numel() == 1 ? 0 : dg.strides()[0];
        Tensor dx = be.empty(rows, c);
        if (dx.numel() == 0) return dx;
        try (DeviceBuffer<CUdeviceptr> t = be.context().uploadInts(targets)) {
            Launch.of(be.context(), Kernel.SOFTMAX_XENT_BACKWARD).over(dx.numel()).ptr(CudaBackend.ptr(probs)).ptr(t.handle()).ptr(CudaBackend.ptr(dg))
                    .i(gStride).f(scale).ptr(CudaBackend.ptr(dx)).i(rows).i(c).f((float) (eps / c)).f((float) (eps * (1 - 1.0 / c))).run();
        }
        return dx;
    }

    private static Tensor rows(String op, Tensor x) {
        if (x.dim() != 2) throw new IllegalArgumentException(op + ": expected [rows, classes], got " + Shapes.str(x.shape()));
        return x;
    }

    private static void checkTargets(int[] targets, int rows, int c) {
        if (targets.length != rows) throw new IllegalArgumentException("crossEntropy: " + targets.length + " targets for " + rows + " rows");
        for (int i = 0; i < rows; i++) {
            if (targets[i] < 0 || targets[i] >= c) throw new IllegalArgumentException("crossEntropy: target " + i + " is " + targets[i] + ", outside [0, " + c + ")");
        }
    }
}
