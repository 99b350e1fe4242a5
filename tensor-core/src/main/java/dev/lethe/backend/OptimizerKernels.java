package dev.lethe.backend;

import dev.lethe.tensor.Tensor;

/**
 * Fused optimiser steps a device may offer ({@link Backend#optimizerKernels()}), so that an
 * optimiser updates a parameter on that device in place, its state kept there too, instead of
 * through a host copy. Every tensor is contiguous float32 of the parameter's shape on the
 * parameter's device. Each method computes, per element, the float32 operations of {@link
 * dev.lethe.optim.SGD} or {@link dev.lethe.optim.Adam} in their order (their Javadoc gives
 * the formulas); a device compiler may contract a·b + c into one fused multiply-add (CUDA's
 * does), so a device step equals the CPU's to float32 rounding, not bit for bit. A mask (0/1 floats, or null)
 * freezes the entries where it is 0: neither the parameter nor its state moves there.
 */
public interface OptimizerKernels {
    /**
     * One SGD step: d = g + wd·p; with momentum μ: buf = first ? d : μ·buf + (1 − dampening)·d,
     * d = nesterov ? d + μ·buf : buf; p = p − lr·d.
     *
     * @param buf   the momentum buffer (null when μ = 0)
     * @param first whether this is the buffer's first step (its contents are then ignored)
     */
    void sgd(Tensor p, Tensor g, Tensor buf, Tensor mask, double lr, double momentum, double dampening, boolean nesterov, double weightDecay,
             boolean first);

    /**
     * One Adam (decoupled = false: g = g + wd·p) or AdamW (decoupled: p = p·(1 − lr·wd)) step
     * at step t ≥ 1: m = m + (1 − β₁)(g − m), v = β₂v + (1 − β₂)g², p = p − (lr/(1 − β₁ᵗ))·m /
     * (√v/√(1 − β₂ᵗ) + ε), the bias corrections computed in float64.
     */
    void adam(Tensor p, Tensor g, Tensor m, Tensor v, Tensor mask, long step, double lr, double beta1, double beta2, double eps, double weightDecay,
              boolean decoupled);
}
