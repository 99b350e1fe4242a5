package dev.lethe.backend;

import dev.lethe.optim.Adam;
import dev.lethe.optim.AdamW;
import dev.lethe.optim.Optimizer;
import dev.lethe.optim.SGD;
import dev.lethe.tensor.DType;
import dev.lethe.tensor.Tensor;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The test device's fused optimiser steps: tensor-core's own CPU optimiser, run once on host
 * views of the device arrays with the state it is handed, which it then writes back. So a
 * test sees what {@link Optimizer} sends a device (state, step count, mask) and gets the CPU's
 * bits whenever it sends the right things. Off when {@link #enabled} is false: the device
 * then has no fused kernels and optimisers go through the host.
 */
public final class TestDeviceOptimizerKernels implements OptimizerKernels {
    static final TestDeviceOptimizerKernels INSTANCE = new TestDeviceOptimizerKernels();
    /** Whether the test device offers these kernels. */
    public static volatile boolean enabled = true;
    /** Calls so far, for tests that must see the fused path run. */
    public static final AtomicInteger CALLS = new AtomicInteger();

    private TestDeviceOptimizerKernels() {}

    @Override
    public void sgd(Tensor p, Tensor g, Tensor buf, Tensor mask, double lr, double momentum, double dampening, boolean nesterov, double weightDecay,
                    boolean first) {
        onTheDevice("sgd", p, g, buf, mask);
        Tensor hp = TestDeviceBackend.host(p);
        LinkedHashMap<String, Tensor> state = new LinkedHashMap<>();
        if (buf != null) state.put("state.0.momentum_buffer", TestDeviceBackend.host(buf));
        stepOnce(new SGD(List.of(hp), lr, momentum, dampening, nesterov, weightDecay), hp, g, mask, 0, first ? new LinkedHashMap<>() : state, state);
    }

    @Override
    public void adam(Tensor p, Tensor g, Tensor m, Tensor v, Tensor mask, long step, double lr, double beta1, double beta2, double eps,
                     double weightDecay, boolean decoupled) {
        onTheDevice("adam", p, g, m, v, mask);
        Tensor hp = TestDeviceBackend.host(p);
        LinkedHashMap<String, Tensor> state = new LinkedHashMap<>();
        state.put("state.0.exp_avg", TestDeviceBackend.host(m));
        state.put("state.0.exp_avg_sq", TestDeviceBackend.host(v));
        Optimizer o = decoupled ? new AdamW(List.of(hp), lr, beta1, beta2, eps, weightDecay) : new Adam(List.of(hp), lr, beta1, beta2, eps, weightDecay);
        stepOnce(o, hp, g, mask, step - 1, state, state);
    }

    /** As a real device's kernels, refuses a tensor that does not live on the device. */
    private static void onTheDevice(String op, Tensor... ts) {
        for (Tensor t : ts) {
            if (t != null && !(t.storage().deviceMemory() instanceof TestDeviceMemory)) {
                throw new IllegalArgumentException(op + ": a tensor on " + t.device() + " given to the test device's kernels");
            }
        }
    }

    /**
     * Loads {@code load} as the state after {@code stepsBefore} steps, steps once, and writes
     * the new state into the host views {@code into}.
     */
    private static void stepOnce(Optimizer o, Tensor hp, Tensor g, Tensor mask, long stepsBefore, LinkedHashMap<String, Tensor> load,
                                 LinkedHashMap<String, Tensor> into) {
        CALLS.incrementAndGet();
        LinkedHashMap<String, Tensor> dict = new LinkedHashMap<>(load);
        dict.put("lr", Tensor.scalar(o.lr(), DType.FLOAT64));
        if (stepsBefore > 0) dict.put("state.0.step", Tensor.scalar(stepsBefore, DType.FLOAT64));
        o.loadStateDict(dict);
        if (mask != null) o.setMask(hp, TestDeviceBackend.host(mask));
        hp.setGrad(TestDeviceBackend.host(g));
        o.step();
        LinkedHashMap<String, Tensor> after = o.stateDict();
        into.forEach((key, target) -> target.copy_(after.get(key)));
    }
}
