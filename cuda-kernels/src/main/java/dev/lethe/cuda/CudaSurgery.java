package dev.lethe.cuda;

import dev.lethe.backend.ReduceOp;
import dev.lethe.backend.SurgeryKernels;
import dev.lethe.tensor.Tensor;
import jcuda.Sizeof;
import jcuda.driver.CUdeviceptr;

import java.util.List;

/**
 * The unlearning kernels of {@code surgery.cu} and the deterministic dot product of {@code
 * reduce.cu}, in place on contiguous CUDA tensors: pruning, masks, gradient projection and
 * surgery, Fisher accumulation, Selective Synaptic Dampening. Saliency masks are {@link
 * CudaSelect#topKMask} of |∇|. {@link #dots3}, {@link #combine} and {@link #fisherAccumulate}
 * are the device form of tensor-core's {@link SurgeryKernels} ({@link CudaBackend#surgeryKernels()}).
 */
public final class CudaSurgery {
    /** Elements per block of the partial dot products: a fixed split, so the sum order depends on n alone. */
    private static final int DOT_CHUNK = 8192;
    /** Elements per block of {@link #dots3}'s partials, fixed likewise. */
    private static final int DOTS3_CHUNK = 16384;

    private CudaSurgery() {}

    /** Σ aᵢ·bᵢ, summed in a fixed order (per-block partials, then one block over them). */
    public static double dot(Tensor a, Tensor b) {
        CudaBackend be = DeviceTensors.backend("dot", "a", a);
        DeviceTensors.sameShape("dot", "b", b, "a", a);
        int n = a.numel();
        if (n == 0) return 0;
        int blocks = (n + DOT_CHUNK - 1) / DOT_CHUNK;
        Tensor partials = be.empty(blocks), sum = be.empty(1);
        Launch.of(be.context(), Kernel.DOT_PARTIALS).grid(blocks, 1, 1).ptr(CudaBackend.ptr(a)).ptr(CudaBackend.ptr(b)).ptr(CudaBackend.ptr(partials))
                .i(n).i(DOT_CHUNK).run();
        Launch.of(be.context(), Kernel.REDUCE_ROWS).grid(1, 1, 1).ptr(CudaBackend.ptr(partials)).ptr(CudaBackend.ptr(sum)).i(1).i(blocks)
                .i(OpCodes.of(ReduceOp.SUM)).run();
        return sum.item();
    }

    /**
     * Magnitude pruning at threshold τ: keepᵢ = |wᵢ| ≥ τ, wᵢ ← +0 where keepᵢ = 0. Returns the keep mask.
     * With τ = {@link CudaSelect#kthLargest}(w, k, true).value() at most the k largest survive
     * (ties at τ all survive).
     */
    public static Tensor prune(Tensor w, float tau) {
        return prune(w, tau, DeviceTensors.backend("prune", "w", w).empty(w.shape()));
    }

    /** {@link #prune(Tensor, float)} writing the keep mask into {@code keep} (w's shape, contiguous), which it returns. */
    public static Tensor prune(Tensor w, float tau, Tensor keep) {
        CudaBackend be = DeviceTensors.backend("prune", "w", w);
        DeviceTensors.sameShape("prune", "keep", keep, "w", w);
        int n = w.numel();
        if (n > 0) Launch.of(be.context(), Kernel.PRUNE).over(n).ptr(CudaBackend.ptr(w)).ptr(CudaBackend.ptr(keep)).i(n).f(tau).run();
        w.storage().bumpVersion();
        keep.storage().bumpVersion();
        return keep;
    }

    /** xᵢ ← 0 (+0) where maskᵢ = 0, in place: removed entries as tensor-core's surgery kernels write them. */
    public static void applyMask(Tensor x, Tensor mask) {
        CudaBackend be = DeviceTensors.backend("applyMask", "x", x);
        DeviceTensors.sameShape("applyMask", "mask", mask, "x", x);
        int n = x.numel();
        if (n > 0) Launch.of(be.context(), Kernel.APPLY_MASK).over(n).ptr(CudaBackend.ptr(x)).ptr(CudaBackend.ptr(mask)).i(n).run();
        x.storage().bumpVersion();
    }

    /**
     * Gradient surgery: when g conflicts with r (g·r &lt; 0), removes g's component along r,
     * g ← g − (g·r/‖r‖²)·r, in place; otherwise g is left alone. Returns the coefficient used
     * (0 when nothing changed).
     */
    public static double project(Tensor g, Tensor r) {
        CudaBackend be = DeviceTensors.backend("project", "g", g);
        DeviceTensors.sameShape("project", "r", r, "g", g);
        double gr = dot(g, r), rr = dot(r, r);
        if (!(gr < 0) || rr == 0) return 0;
        double coef = gr / rr;
        Launch.of(be.context(), Kernel.AXPY).over(g.numel()).ptr(CudaBackend.ptr(g)).ptr(CudaBackend.ptr(r)).i(g.numel()).f((float) -coef).run();
        g.storage().bumpVersion();
        return coef;
    }

    /**
     * For each pair t: {Σ uₜ·rₜ, Σ uₜ², Σ rₜ²} at [3t, 3t + 1, 3t + 2], in float64 (tensor-core's
     * {@link SurgeryKernels#dots}). One launch per pair fills one buffer of per-block partials
     * (blocks of {@value #DOTS3_CHUNK} elements), which comes back in one copy and is added up
     * here in block order: the sums repeat bit for bit.
     */
    public static double[] dots3(List<Tensor> u, List<Tensor> r) {
        CudaContext c = pairsOnOneGpu("dots3", "u", u, "r", r);
        int pairs = u.size();
        int[] first = new int[pairs + 1];
        for (int t = 0; t < pairs; t++) first[t + 1] = first[t] + (u.get(t).numel() + DOTS3_CHUNK - 1) / DOTS3_CHUNK;
        double[] sums = new double[3 * pairs];
        int blocks = first[pairs];
        if (blocks == 0) return sums;
        double[] partials = new double[3 * blocks];
        try (DeviceBuffer<CUdeviceptr> p = DeviceBuffer.allocate(c.allocator(), 3L * blocks * Sizeof.DOUBLE)) {
            for (int t = 0; t < pairs; t++) {
                if (first[t + 1] == first[t]) continue;
                Launch.of(c, Kernel.DOTS3_PARTIALS).grid(first[t + 1] - first[t], 1, 1).ptr(CudaBackend.ptr(u.get(t))).ptr(CudaBackend.ptr(r.get(t)))
                        .ptr(p.handle()).i(u.get(t).numel()).i(DOTS3_CHUNK).i(first[t]).run();
            }
            c.downloadDoubles(p.handle(), partials);
        }
        for (int t = 0; t < pairs; t++) {
            for (int k = first[t]; k < first[t + 1]; k++) {
                for (int j = 0; j < 3; j++) sums[3 * t + j] += partials[3 * k + j];
            }
        }
        return sums;
    }

    /** Gradient surgery's direction, out ← fma(a, u, b·r) elementwise (b·r rounded first); out may be u or r. */
    public static void combine(Tensor u, Tensor r, float a, float b, Tensor out) {
        CudaBackend be = DeviceTensors.backend("combine", "out", out);
        DeviceTensors.sameShape("combine", "u", u, "out", out);
        DeviceTensors.sameShape("combine", "r", r, "out", out);
        int n = out.numel();
        if (n > 0) {
            Launch.of(be.context(), Kernel.SURGERY_COMBINE).over(n).ptr(CudaBackend.ptr(u)).ptr(CudaBackend.ptr(r)).ptr(CudaBackend.ptr(out)).i(n)
                    .f(a).f(b).run();
        }
        out.storage().bumpVersion();
    }

    /**
     * One batch of the Fisher diagonal, in place for each pair t: sumₜ ← sumₜ + gₜ² ({@code
     * squared}; the square rounded first) or sumₜ + |gₜ|. Returns whether any g element was NaN:
     * one flag on the device for the whole list, read back once.
     */
    public static boolean fisherAccumulate(List<Tensor> sums, List<Tensor> g, boolean squared) {
        int[] nan = new int[1];
        CudaContext c = pairsOnOneGpu("fisherAccumulate", "sum", sums, "g", g);
        if (c == null) return false;
        try (DeviceBuffer<CUdeviceptr> flag = DeviceBuffer.allocate(c.allocator(), Integer.BYTES)) {
            c.fill(flag.handle(), 0, 1, 0f); // 0f is all zero bits: no NaN seen
            for (int t = 0; t < sums.size(); t++) {
                int n = sums.get(t).numel();
                if (n > 0) {
                    Launch.of(c, Kernel.FISHER_ADD).over(n).ptr(CudaBackend.ptr(sums.get(t))).ptr(CudaBackend.ptr(g.get(t))).i(n).i(squared ? 1 : 0)
                            .ptr(flag.handle()).run();
                }
                sums.get(t).storage().bumpVersion();
            }
            c.downloadInts(flag.handle(), nan);
        }
        return nan[0] != 0;
    }

    /**
     * Checks that {@code a} and {@code b} pair up: as many tensors, tensor t of each contiguous
     * with one shape, all on one GPU. Returns that GPU's context, or null for empty lists.
     *
     * @throws IllegalArgumentException naming the op, the list and the tensor that does not
     */
    private static CudaContext pairsOnOneGpu(String op, String aName, List<Tensor> a, String bName, List<Tensor> b) {
        if (a.size() != b.size()) throw new IllegalArgumentException(op + ": " + aName + " has " + a.size() + " tensors but " + bName + " has " + b.size());
        CudaContext context = null;
        for (int t = 0; t < a.size(); t++) {
            CudaContext c = DeviceTensors.backend(op, aName + " tensor " + t, a.get(t)).context();
            DeviceTensors.sameShape(op, bName + " tensor " + t, b.get(t), aName + " tensor " + t, a.get(t));
            if (context == null) context = c;
            else if (c != context) throw new IllegalArgumentException(op + ": " + aName + " tensor " + t + " is on " + a.get(t).device() + ", tensor 0 on " + a.get(0).device());
        }
        return context;
    }

    /** {@link #fisherAccumulate(List, List, boolean)} of one tensor, squared: Fᵢ ← Fᵢ + gᵢ². */
    public static boolean fisherAccumulate(Tensor fisher, Tensor g) {
        return fisherAccumulate(List.of(fisher), List.of(g), true);
    }

    /**
     * Selective Synaptic Dampening (Foster et al., AAAI 2024), in place: where
     * F_forget,i > α·F_data,i, θᵢ ← min(λ·F_data,i/F_forget,i, 1)·θᵢ.
     */
    public static void ssdDampen(Tensor theta, Tensor fForget, Tensor fData, double alpha, double lambda) {
        CudaBackend be = DeviceTensors.backend("ssdDampen", "theta", theta);
        DeviceTensors.sameShape("ssdDampen", "fForget", fForget, "theta", theta);
        DeviceTensors.sameShape("ssdDampen", "fData", fData, "theta", theta);
        int n = theta.numel();
        if (n > 0) {
            Launch.of(be.context(), Kernel.SSD_DAMPEN).over(n).ptr(CudaBackend.ptr(theta)).ptr(CudaBackend.ptr(fForget)).ptr(CudaBackend.ptr(fData)).i(n)
                    .f((float) alpha).f((float) lambda).run();
        }
        theta.storage().bumpVersion();
    }
}
