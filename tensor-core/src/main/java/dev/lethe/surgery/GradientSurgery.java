package dev.lethe.surgery;

import dev.lethe.backend.SurgeryKernels;
import dev.lethe.tensor.DType;
import dev.lethe.tensor.Tensor;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Concept-preserving gradient surgery between an unlearning gradient g_u (e.g. −∇L_f) and a
 * retain gradient g_r (∇L_r), each a list of tensors seen as one flattened vector.
 *
 * <p>If they conflict (g_u·g_r &lt; 0), each is projected onto the normal plane of the other,
 * both from the unprojected vectors:
 * <pre>
 *   g_u' = g_u − (g_u·g_r / ‖g_r‖²)·g_r
 *   g_r' = g_r − (g_r·g_u / ‖g_u‖²)·g_u
 * </pre>
 * otherwise g_u' = g_u and g_r' = g_r. The update direction is d = g_u' + α·g_r' (α = 1.5 by
 * default), which expands to d = a·g_u + b·g_r with
 * <pre>
 *   a = 1 − α·(g_u·g_r)/‖g_u‖²,   b = α − (g_u·g_r)/‖g_r‖²    (conflict)
 *   a = 1,                       b = α                       (no conflict)
 * </pre>
 * A zero vector gives g_u·g_r = 0, hence no conflict and no projection (no division by zero).
 * After projection g_u'·g_r = 0 and g_r'·g_u = 0.
 *
 * <p>Numerics: the dot product and both squared norms are one fused pass accumulating in
 * float64 over fixed chunks combined in chunk order, so they have the same bits whatever the
 * thread count; d_i = fma(a, g_u,i, b·g_r,i) in float32 with a and b rounded to float.
 * Non-finite gradients are refused (the geometry is meaningless): {@link
 * IllegalArgumentException} naming the list, tensor and element, before anything is written.
 *
 * <p>On a device that offers {@link SurgeryKernels} (all the lists on it), the dots are the
 * device's per-tensor float64 sums added in tensor order (equal to the CPU's within float64
 * rounding, repeatable bit for bit) and d is written by the device's kernel with the CPU pass's
 * float32 operations, so d has the CPU's bits whenever a and b round to the same floats, as
 * they do unless a sum lies within float64 rounding of a float32 boundary (or g_u·g_r of 0,
 * where even the conflict test may differ). Only the three sums per tensor come to the host.
 * Elsewhere device tensors are read through host copies and out written back.
 */
public final class GradientSurgery {
    /** The reference weight of the retain direction. */
    public static final double DEFAULT_ALPHA = 1.5;

    private static final String OP = "gradient surgery";

    private GradientSurgery() {}

    /** g_u·g_r, ‖g_u‖² and ‖g_r‖² of the flattened gradients (float64). */
    public record Dots(double dot, double unlearnNormSq, double retainNormSq) {
        /** True when g_u·g_r &lt; 0: the projection applies. */
        public boolean conflicting() {
            return dot < 0;
        }

        /** a in d = a·g_u + b·g_r: 1 − α·(g_u·g_r)/‖g_u‖² on conflict, else 1. */
        public double unlearnCoefficient(double alpha) {
            return conflicting() ? 1 - alpha * dot / unlearnNormSq : 1;
        }

        /** b in d = a·g_u + b·g_r: α − (g_u·g_r)/‖g_r‖² on conflict, else α. */
        public double retainCoefficient(double alpha) {
            return conflicting() ? alpha - dot / retainNormSq : alpha;
        }

        /** cos∠(g_u, g_r), or 0 when either is zero. */
        public double cosine() {
            return unlearnNormSq == 0 || retainNormSq == 0 ? 0 : dot / Math.sqrt(unlearnNormSq * retainNormSq);
        }
    }

    /**
     * g_u·g_r, ‖g_u‖², ‖g_r‖² in one pass.
     *
     * @throws IllegalArgumentException if the lists differ in length or shapes, a tensor is not
     *         float32, or an element is NaN or infinite (naming it)
     */
    public static Dots dots(List<Tensor> unlearn, List<Tensor> retain) {
        SurgeryKernels kernels = DeviceSurgery.kernelsFor(unlearn, retain);
        if (kernels != null) {
            FlatList.requireSameShapes(OP, "g_u", unlearn, retain, "g_r", 0);
            return total(deviceDots(kernels, DeviceSurgery.contiguous(unlearn), DeviceSurgery.contiguous(retain), false), 0, unlearn.size());
        }
        FlatList u = FlatList.input(OP, "g_u", unlearn), r = FlatList.input(OP, "g_r", retain);
        u.requireSameShapes(OP, "g_u", r, "g_r");
        return dots(u, r);
    }

    private static Dots dots(FlatList u, FlatList r) {
        double[] p = VectorPasses.dotPartials(u, r);
        double ur = 0, uu = 0, rr = 0;
        for (int c = 0; c < p.length; c += 3) {
            ur += p[c];
            uu += p[c + 1];
            rr += p[c + 2];
        }
        if (!Double.isFinite(ur) || !Double.isFinite(uu) || !Double.isFinite(rr)) {
            requireFinite(u, "g_u");
            requireFinite(r, "g_r");
        }
        return new Dots(ur, uu, rr);
    }

    /**
     * Writes d = g_u' + α·g_r' (global projection) into {@code out} and returns the dots that
     * decided it. {@code out} may be one of the inputs (e.g. overwrite g_u in place), or the
     * parameters' gradient tensors ({@link #gradientsOf}) so an optimiser steps along d; out
     * tensor t may be g_u or g_r tensor t itself, or share no element with the inputs.
     *
     * @throws IllegalArgumentException for mismatched lists, a non-float32 or (for out)
     *         non-contiguous tensor, out tensors sharing elements in one device storage or with
     *         another index's input, a non-finite α or gradient; nothing is written then
     */
    public static Dots combine(List<Tensor> unlearn, List<Tensor> retain, double alpha, List<Tensor> out) {
        return directions(unlearn, retain, alpha, out, false)[0];
    }

    /**
     * The per-layer variant: tensor t's projection is decided by its own dots (g_u,t·g_r,t
     * &lt; 0), and out_t = a_t·g_u,t + b_t·g_r,t. Returns the dots of each tensor.
     *
     * @throws IllegalArgumentException as {@link #combine}; nothing is written then
     */
    public static List<Dots> combinePerTensor(List<Tensor> unlearn, List<Tensor> retain, double alpha, List<Tensor> out) {
        return new ArrayList<>(Arrays.asList(directions(unlearn, retain, alpha, out, true)));
    }

    /**
     * out_t = a_t·g_u,t + b_t·g_r,t with the coefficients of the global dots (every entry of
     * the returned array the same) or of tensor t's own ({@code perTensor}); on a device's
     * kernels where all three lists live on one that offers them, else by the CPU passes.
     */
    private static Dots[] directions(List<Tensor> unlearn, List<Tensor> retain, double alpha, List<Tensor> out, boolean perTensor) {
        checkAlpha(alpha);
        SurgeryKernels kernels = DeviceSurgery.kernelsFor(unlearn, retain, out);
        if (kernels != null) {
            FlatList.requireWritable(OP, "out", out);
            requireMatching(unlearn, retain, out);
            List<Tensor> u = DeviceSurgery.contiguous(unlearn), r = DeviceSurgery.contiguous(retain);
            double[] sums = deviceDots(kernels, u, r, perTensor);
            Dots[] each = new Dots[out.size()];
            Dots global = total(sums, 0, each.length);
            for (int t = 0; t < each.length; t++) each[t] = perTensor ? total(sums, t, t + 1) : global;
            for (int t = 0; t < each.length; t++) {
                kernels.combine(u.get(t), r.get(t), (float) each[t].unlearnCoefficient(alpha), (float) each[t].retainCoefficient(alpha), out.get(t));
                out.get(t).storage().bumpVersion();
            }
            return each; // not empty: the lists hold a device tensor
        }
        FlatList u = FlatList.input(OP, "g_u", unlearn), r = FlatList.input(OP, "g_r", retain);
        FlatList o = FlatList.output(OP, "out", out);
        requireMatching(unlearn, retain, out);
        Dots[] each = new Dots[o.size()];
        if (perTensor) {
            for (int t = 0; t < each.length; t++) each[t] = dots(u.single(t), r.single(t));
            for (int t = 0; t < each.length; t++) {
                VectorPasses.combine(u.single(t), r.single(t), (float) each[t].unlearnCoefficient(alpha), (float) each[t].retainCoefficient(alpha), o.single(t));
            }
        } else {
            Dots d = dots(u, r);
            Arrays.fill(each, d);
            VectorPasses.combine(u, r, (float) d.unlearnCoefficient(alpha), (float) d.retainCoefficient(alpha), o);
            if (each.length == 0) each = new Dots[] {d};
        }
        o.bumpVersions();
        return each;
    }

    /**
     * The lists pair up: equal lengths and shapes, and out tensor t is g_u or g_r tensor t
     * itself or shares no element with a contiguous input (tensors are written one after
     * another, or chunk by chunk, so another overlap would change an input that a pass still
     * reads; a non-contiguous input is copied before anything is written).
     */
    private static void requireMatching(List<Tensor> unlearn, List<Tensor> retain, List<Tensor> out) {
        FlatList.requireSameShapes(OP, "g_u", unlearn, retain, "g_r", 0);
        FlatList.requireSameShapes(OP, "g_u", unlearn, out, "out", 0);
        for (int t = 0; t < out.size(); t++) {
            for (int s = 0; s < out.size(); s++) {
                requireApart(out.get(t), t, unlearn.get(s), "g_u", s);
                requireApart(out.get(t), t, retain.get(s), "g_r", s);
            }
        }
    }

    private static void requireApart(Tensor out, int t, Tensor in, String what, int s) {
        if (!in.isContiguous() || out.storage() != in.storage()) return;
        boolean itself = s == t && out.offset() == in.offset();
        if (!itself && FlatList.overlap(out.offset(), out.numel(), in.offset(), in.numel())) {
            throw new IllegalArgumentException(OP + ": out tensor " + t + " shares elements with " + what + " tensor " + s
                    + "; out tensor t may be g_u or g_r tensor t itself, or share nothing with the inputs");
        }
    }

    /**
     * The gradient tensor of each parameter, as an output list for {@link #combine}: a
     * parameter whose gradient is missing, not float32 or not contiguous first gets a fresh
     * float32 zero gradient on the parameter's device (so writing into the returned tensors
     * sets {@code .grad()}).
     */
    public static List<Tensor> gradientsOf(List<Tensor> params) {
        List<Tensor> out = new ArrayList<>(params.size());
        for (Tensor p : params) {
            Tensor g = p.grad();
            if (g == null || g.dtype() != DType.FLOAT32 || !g.isContiguous()) {
                g = Tensor.zeros(DType.FLOAT32, p.device(), p.shape());
                p.setGrad(g);
            }
            out.add(g);
        }
        return out;
    }

    // ---------------------------------------------------------------- on a device's kernels

    /**
     * The per-tensor {g_u·g_r, ‖g_u‖², ‖g_r‖²} of contiguous device tensors; if any is not finite, host
     * copies find the element, and the error names the one the CPU path names (checking all of
     * g_u, then g_r; or tensor by tensor for the per-tensor variant).
     */
    private static double[] deviceDots(SurgeryKernels kernels, List<Tensor> unlearn, List<Tensor> retain, boolean perTensor) {
        double[] sums = kernels.dots(unlearn, retain);
        for (double v : sums) {
            if (!Double.isFinite(v)) {
                FlatList u = FlatList.input(OP, "g_u", unlearn), r = FlatList.input(OP, "g_r", retain);
                FlatList[] us = perTensor ? u.groups(Scope.PER_TENSOR) : new FlatList[] {u}, rs = perTensor ? r.groups(Scope.PER_TENSOR) : new FlatList[] {r};
                for (int g = 0; g < us.length; g++) {
                    requireFinite(us[g], "g_u");
                    requireFinite(rs[g], "g_r");
                }
                break;
            }
        }
        return sums;
    }

    /** The dots of tensors [from, to), their per-tensor sums added in tensor order. */
    private static Dots total(double[] sums, int from, int to) {
        double ur = 0, uu = 0, rr = 0;
        for (int t = from; t < to; t++) {
            ur += sums[3 * t];
            uu += sums[3 * t + 1];
            rr += sums[3 * t + 2];
        }
        return new Dots(ur, uu, rr);
    }

    private static void checkAlpha(double alpha) {
        if (!Double.isFinite(alpha)) throw new IllegalArgumentException("gradient surgery: α must be finite, got " + alpha);
    }

    /** @throws IllegalArgumentException naming the first non-finite element */
    private static void requireFinite(FlatList x, String what) {
        for (int t = 0; t < x.size(); t++) {
            for (int i = 0; i < x.lengths[t]; i++) {
                float v = x.arrays[t][x.offsets[t] + i];
                if (!Float.isFinite(v)) {
                    throw new IllegalArgumentException("gradient surgery: " + what + " tensor " + x.index(t) + " element " + i + " is " + v
                            + "; gradients must be finite");
                }
            }
        }
    }
}
