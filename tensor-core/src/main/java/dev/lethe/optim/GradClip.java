package dev.lethe.optim;

import dev.lethe.autograd.NoGrad;
import dev.lethe.tensor.Tensor;

import java.util.List;

/** Gradient clipping. */
public final class GradClip {
    private GradClip() {}

    /**
     * Scales all gradients together so their global L2 norm is at most {@code maxNorm}, as
     * PyTorch's clip_grad_norm_: ‖g‖ = √(Σ over parameters in order, Σ over elements g²),
     * accumulated in float64 in that fixed order; if ‖g‖ &gt; maxNorm every gradient is
     * multiplied by maxNorm/(‖g‖ + 1e-6). Parameters without a gradient are skipped.
     *
     * @return the norm before clipping
     * @throws IllegalArgumentException if maxNorm is not positive
     */
    public static double clipGradNorm(List<Tensor> params, double maxNorm) {
        if (!(maxNorm > 0)) throw new IllegalArgumentException("clipGradNorm: maxNorm must be positive, got " + maxNorm);
        double sumSq = 0;
        for (Tensor p : params) {
            if (p.grad() == null) continue;
            for (double g : p.grad().toDoubleArray()) sumSq += g * g;
        }
        double norm = Math.sqrt(sumSq);
        double coef = maxNorm / (norm + 1e-6);
        if (coef < 1) {
            try (NoGrad ignored = NoGrad.enter()) {
                for (Tensor p : params) if (p.grad() != null) p.setGrad(p.grad().mul(coef));
            }
        }
        return norm;
    }
}
