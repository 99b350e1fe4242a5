package dev.lethe.cuda;

import dev.lethe.tensor.Tensor;
import jcuda.driver.CUdeviceptr;

/**
 * The fused optimiser steps of {@code optim.cu}, in place on contiguous CUDA tensors, in the
 * per-element order of tensor-core's SGD and Adam/AdamW (see those classes for the formulas;
 * nvcc's fused multiply-adds make the results equal the CPU's to float32 rounding). A mask (0/1, the parameter's shape, or null) freezes the entries where it is 0:
 * neither the parameter nor its state moves there. They are this device's {@link
 * dev.lethe.backend.OptimizerKernels}, so tensor-core's optimisers update CUDA parameters with
 * them, keeping their state on the GPU.
 */
public final class CudaOptimizerSteps {
    private CudaOptimizerSteps() {}

    /**
     * One SGD step: d = g + wd·p; with momentum μ: buf = first ? d : μ·buf + (1 − dampening)·d,
     * d = nesterov ? d + μ·buf : buf; p = p − lr·d.
     *
     * @param buf the momentum buffer (may be null when μ = 0)
     */
    public static void sgd(Tensor p, Tensor g, Tensor buf, Tensor mask, double lr, double momentum, double dampening, boolean nesterov,
                           double weightDecay, boolean first) {
        CudaBackend be = DeviceTensors.backend("sgd", "p", p);
        DeviceTensors.sameShape("sgd", "g", g, "p", p);
        DeviceTensors.sameShape("sgd", "buf", buf, "p", p);
        DeviceTensors.sameShape("sgd", "mask", mask, "p", p);
        if (momentum != 0 && buf == null) throw new IllegalArgumentException("sgd: momentum " + momentum + " needs a momentum buffer");
        int n = p.numel();
        if (n == 0) return;
        Launch.of(be.context(), Kernel.SGD_STEP).over(n).ptr(CudaBackend.ptr(p)).ptr(CudaBackend.ptr(g)).ptrOrNull(orNull(buf)).ptrOrNull(orNull(mask))
                .i(n).f((float) -lr).f((float) weightDecay).f((float) momentum).f((float) (1 - dampening)).i(nesterov ? 1 : 0).i(first ? 1 : 0).run();
        bump(p, buf);
    }

    /**
     * One Adam (decoupled = false) or AdamW (decoupled = true) step at step t ≥ 1, with the
     * bias corrections 1 − β₁ᵗ and √(1 − β₂ᵗ) computed in float64 here.
     */
    public static void adam(Tensor p, Tensor g, Tensor m, Tensor v, Tensor mask, long step, double lr, double beta1, double beta2, double eps,
                            double weightDecay, boolean decoupled) {
        CudaBackend be = DeviceTensors.backend("adam", "p", p);
        DeviceTensors.sameShape("adam", "g", g, "p", p);
        DeviceTensors.sameShape("adam", "m", m, "p", p);
        DeviceTensors.sameShape("adam", "v", v, "p", p);
        DeviceTensors.sameShape("adam", "mask", mask, "p", p);
        if (step < 1) throw new IllegalArgumentException("adam: step must be ≥ 1, got " + step);
        int n = p.numel();
        if (n == 0) return;
        Launch.of(be.context(), Kernel.ADAM_STEP).over(n).ptr(CudaBackend.ptr(p)).ptr(CudaBackend.ptr(g)).ptr(CudaBackend.ptr(m))
                .ptr(CudaBackend.ptr(v)).ptrOrNull(orNull(mask))
                .i(n).f(decoupled ? 0f : (float) weightDecay).f((float) (1 - lr * weightDecay)).i(decoupled && weightDecay != 0 ? 1 : 0)
                .f((float) (1 - beta1)).f((float) beta2).f((float) (1 - beta2)).f((float) eps)
                .f((float) (-lr / (1 - Math.pow(beta1, step)))).f((float) Math.sqrt(1 - Math.pow(beta2, step))).run();
        bump(p, m, v);
    }

    private static CUdeviceptr orNull(Tensor t) {
        return t == null ? null : CudaBackend.ptr(t);
    }

    private static void bump(Tensor... written) {
        for (Tensor t : written) if (t != null) t.storage().bumpVersion();
    }
}
