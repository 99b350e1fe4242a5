package dev.lethe.cuda;

import dev.lethe.backend.ReduceOp;
import dev.lethe.tensor.Tensor;

/**
 * The unlearning kernels of {@code surgery.cu} and the deterministic dot product of {@code
 * reduce.cu}, in place on contiguous CUDA tensors: pruning, masks, gradient projection,
 * Fisher accumulation, Selective Synaptic Dampening. Saliency masks are {@link
 * CudaSelect#topKMask} of |∇|.
 */
public final class CudaSurgery {
    /** Elements per block of the partial dot products: a fixed split, so the sum order depends on n alone. */
    private static final int DOT_CHUNK = 8192;

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

    /** Diagonal Fisher accumulation: Fᵢ ← Fᵢ + scale·gᵢ², in place. */
    public static void fisherAccumulate(Tensor fisher, Tensor g, double scale) {
        CudaBackend be = DeviceTensors.backend("fisherAccumulate", "fisher", fisher);
        DeviceTensors.sameShape("fisherAccumulate", "g", g, "fisher", fisher);
        int n = fisher.numel();
        if (n > 0) Launch.of(be.context(), Kernel.FISHER_ACCUMULATE).over(n).ptr(CudaBackend.ptr(fisher)).ptr(CudaBackend.ptr(g)).i(n).f((float) scale).run();
        fisher.storage().bumpVersion();
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
