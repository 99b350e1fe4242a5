package dev.lethe.backend;

import dev.lethe.tensor.Tensor;

import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The test device's gradient-surgery and Fisher passes, written out plainly over the device
 * arrays (each tensor's elements in order, float64 sums of exact products for the dots). They
 * touch no host copy, so a test that counts the device memory's reads and writes sees whether
 * the code under test stayed on the device. Off when {@link #enabled} is false: the device then
 * has no such kernels and {@code dev.lethe.surgery} goes through host copies.
 */
public final class TestDeviceSurgeryKernels implements SurgeryKernels {
    static final TestDeviceSurgeryKernels INSTANCE = new TestDeviceSurgeryKernels();
    /** Whether the test device offers these kernels. */
    public static volatile boolean enabled = true;
    /** Calls so far, for tests that must see these kernels run. */
    public static final AtomicInteger CALLS = new AtomicInteger();

    private TestDeviceSurgeryKernels() {}

    @Override
    public double[] dots(List<Tensor> u, List<Tensor> r) {
        CALLS.incrementAndGet();
        double[] out = new double[3 * u.size()];
        for (int t = 0; t < u.size(); t++) {
            Tensor a = onTheDevice("dots", u.get(t)), b = onTheDevice("dots", r.get(t));
            float[] av = a.storage().floats(), bv = b.storage().floats();
            for (int i = 0; i < a.numel(); i++) {
                double x = av[a.offset() + i], y = bv[b.offset() + i];
                out[3 * t] += x * y;
                out[3 * t + 1] += x * x;
                out[3 * t + 2] += y * y;
            }
        }
        return out;
    }

    @Override
    public void combine(Tensor u, Tensor r, float a, float b, Tensor out) {
        CALLS.incrementAndGet();
        Tensor hu = onTheDevice("combine", u), hr = onTheDevice("combine", r), ho = onTheDevice("combine", out);
        float[] uv = hu.storage().floats(), rv = hr.storage().floats(), ov = ho.storage().floats();
        for (int i = 0; i < ho.numel(); i++) ov[ho.offset() + i] = Math.fma(a, uv[hu.offset() + i], b * rv[hr.offset() + i]);
    }

    @Override
    public boolean accumulate(List<Tensor> sums, List<Tensor> g, boolean squared) {
        CALLS.incrementAndGet();
        boolean nan = false;
        for (int t = 0; t < sums.size(); t++) {
            Tensor hs = onTheDevice("accumulate", sums.get(t)), hg = onTheDevice("accumulate", g.get(t));
            float[] sv = hs.storage().floats(), gv = hg.storage().floats();
            for (int i = 0; i < hs.numel(); i++) {
                float v = gv[hg.offset() + i];
                nan |= Float.isNaN(v);
                sv[hs.offset() + i] = sv[hs.offset() + i] + (squared ? v * v : Math.abs(v));
            }
        }
        return nan;
    }

    /** The host view of a contiguous float32 tensor on the test device; anything else is the caller's bug. */
    private static Tensor onTheDevice(String op, Tensor t) {
        if (!(t.storage().deviceMemory() instanceof TestDeviceMemory) || !t.isContiguous()) {
            throw new IllegalStateException("test device " + op + ": expected a contiguous tensor on the test device, got " + t);
        }
        return TestDeviceBackend.host(t);
    }
}
