package dev.lethe.backend;

import dev.lethe.tensor.Tensor;

import java.util.List;

/**
 * The per-step passes of {@code dev.lethe.surgery} a device may offer ({@link
 * Backend#surgeryKernels()}), so that gradient surgery and the Fisher diagonal run where the
 * gradients live instead of on host copies written back. Every tensor is float32, contiguous and
 * on the device; lists pair up tensor by tensor, with equal shapes (checked by the caller).
 *
 * <p>The elementwise passes equal the CPU's bit for bit for the same operands (the same float32
 * operations in the same order per element); the dot products are float64 sums of exact
 * products, in an order fixed by the sizes alone, so they equal the CPU's within float64
 * rounding and repeat bit for bit. The caller marks the tensors written ({@code bumpVersion}).
 */
public interface SurgeryKernels {
    /**
     * For each pair t: {Σᵢ uₜ,ᵢ·rₜ,ᵢ, Σᵢ uₜ,ᵢ², Σᵢ rₜ,ᵢ²} in float64, at [3t, 3t + 1, 3t + 2] of the
     * returned array. A NaN or infinite element makes its sums non-finite.
     */
    double[] dots(List<Tensor> u, List<Tensor> r);

    /**
     * out ← fma(a, u, b·r) elementwise in float32 (b·r rounded first), as gradient surgery's
     * d = a·g_u + b·g_r. {@code out} may be {@code u} or {@code r} itself (the caller refuses
     * any other overlap).
     */
    void combine(Tensor u, Tensor r, float a, float b, Tensor out);

    /**
     * sumₜ ← sumₜ + gₜ² ({@code squared}; the square rounded to float32, then the sum) or
     * sumₜ + |gₜ|, for each pair t: the Fisher diagonal's batch. Returns whether any g element is
     * NaN (the sums then hold NaN).
     */
    boolean accumulate(List<Tensor> sums, List<Tensor> g, boolean squared);
}
