package dev.lethe.ops;

import dev.lethe.autograd.Autograd;
import dev.lethe.autograd.NoGrad;
import dev.lethe.backend.CrossEntropyKernels;
import dev.lethe.cpu.SoftmaxCrossEntropyKernel;
import dev.lethe.tensor.DType;
import dev.lethe.tensor.Storage;
import dev.lethe.tensor.Tensor;

/**
 * crossEntropy with label smoothing ε, as PyTorch: for logits [N, C] and targets yᵢ, with
 * log pᵢ = logSoftmax(logitsᵢ),
 * lossᵢ = (1−ε)·(−log p_{i,yᵢ}) + ε·mean_c(−log p_{i,c}), then reduced (mean by default).
 * The gradient is ∂lossᵢ/∂logits_{i,c} = p_{i,c} − (1−ε)·[c = yᵢ] − ε/C.
 * <p>float32 logits run the fused {@link SoftmaxCrossEntropyKernel} as one autograd node (its
 * backward reads the softmax saved by the forward), or on a device its {@link
 * CrossEntropyKernels} the same way; float64 logits, and logits on a device without such
 * kernels, run the composition of {@link LogSoftmax} and {@link NllLoss} ({@link #composed}),
 * which the fused kernels are tested against.
 */
public final class CrossEntropy {
    private CrossEntropy() {}

    /** Mean loss, no smoothing. */
    public static Tensor apply(Tensor logits, int[] targets) {
        return apply(logits, targets, Reduction.MEAN, 0.0);
    }

    /** No smoothing. */
    public static Tensor apply(Tensor logits, int[] targets, Reduction reduction) {
        return apply(logits, targets, reduction, 0.0);
    }

    /**
     * @throws IllegalArgumentException if logits is not 2-D, targets do not give one class in
     *         [0, C) per row, or ε is outside [0, 1]
     */
    public static Tensor apply(Tensor logits, int[] targets, Reduction reduction, double labelSmoothing) {
        if (!(labelSmoothing >= 0 && labelSmoothing <= 1)) {
            throw new IllegalArgumentException("crossEntropy: labelSmoothing " + labelSmoothing + " is outside [0, 1]");
        }
        OpChecks.rank("crossEntropy", "logits", logits, 2);
        IndexChecks.targets("crossEntropy", targets, logits.shape());
        if (logits.dtype() == DType.FLOAT32) {
            if (logits.device().isCpu()) return fused(logits, targets, reduction, labelSmoothing);
            CrossEntropyKernels kernels = logits.backend().crossEntropyKernels();
            if (kernels != null) return fusedOnDevice(kernels, logits, targets, reduction, labelSmoothing);
        }
        // Otherwise the composition runs on the device's kernels.
        return composed(logits, targets, reduction, labelSmoothing);
    }

    /** The fused form on a device's kernels, for checked arguments: one node, as {@link #fused}. */
    static Tensor fusedOnDevice(CrossEntropyKernels kernels, Tensor logits, int[] targets, Reduction reduction, double labelSmoothing) {
        int n = logits.size(0);
        boolean needsGrad = NoGrad.gradEnabled() && logits.requiresGrad();
        Tensor[] forward = kernels.forward(logits.detach().contiguous(), targets, labelSmoothing, needsGrad);
        Tensor out = reduction.reduce(forward[0]);
        float gScale = reduction == Reduction.MEAN ? 1f / n : 1f;
        return Autograd.record("crossEntropy", out, new Tensor[] {logits},
                g -> new Tensor[] {kernels.backward(forward[1], targets, labelSmoothing, g, gScale)});
    }

    /** The composed form, for checked arguments: logSoftmax, gather, mean — each its own node. */
    static Tensor composed(Tensor logits, int[] targets, Reduction reduction, double labelSmoothing) {
        Tensor logp = LogSoftmax.apply(logits, 1);
        Tensor loss = NllLoss.perSample("crossEntropy", logp, targets);
        if (labelSmoothing > 0) {
            Tensor uniform = logp.mean(new int[] {1}, false).neg();
            loss = loss.mul(1 - labelSmoothing).add(uniform.mul(labelSmoothing));
        }
        return reduction.reduce(loss);
    }

    /** The fused float32 form, for checked arguments: one node whose backward reuses the softmax. */
    static Tensor fused(Tensor logits, int[] targets, Reduction reduction, double labelSmoothing) {
        int n = logits.size(0), c = logits.size(1);
        Tensor x = Contiguous.dense(logits);
        boolean needsGrad = NoGrad.gradEnabled() && logits.requiresGrad();
        float[] probs = needsGrad ? new float[n * c] : null;
        float[] losses = SoftmaxCrossEntropyKernel.forward(x.storage().floats(), x.offset(), n, c, targets, labelSmoothing, probs);
        Tensor out = switch (reduction) {
            case NONE -> Tensor.wrap(Storage.wrap(losses), n);
            case SUM -> Tensor.scalar(SoftmaxCrossEntropyKernel.sum(losses), DType.FLOAT32);
            case MEAN -> Tensor.scalar(SoftmaxCrossEntropyKernel.sum(losses) / n, DType.FLOAT32);
        };
        float gScale = reduction == Reduction.MEAN ? 1f / n : 1f;
        return Autograd.record("crossEntropy", out, new Tensor[] {logits}, g -> {
            float[] dx = new float[n * c];
            int gStride = g.dim() == 0 ? 0 : g.strides()[0];
            SoftmaxCrossEntropyKernel.backward(probs, n, c, targets, labelSmoothing, g.storage().floats(), g.offset(), gStride, gScale, dx);
            return new Tensor[] {Tensor.wrap(Storage.wrap(dx), n, c)};
        });
    }

    /** Targets as a tensor of integer values (any float dtype), one per row. */
    public static Tensor apply(Tensor logits, Tensor targets, Reduction reduction, double labelSmoothing) {
        return apply(logits, IndexChecks.integers("crossEntropy", "targets", targets), reduction, labelSmoothing);
    }
}
