package dev.lethe.backend;

import dev.lethe.cpu.CpuBackend;
import dev.lethe.reference.ReferenceBackend;
import dev.lethe.tensor.DType;
import dev.lethe.tensor.Tensor;

/**
 * Picks the backend for a tensor: a tensor on a device runs on its device's backend; on the
 * CPU, float32 runs on the SIMD {@link CpuBackend}, float64 on the plain {@link
 * ReferenceBackend} (float64 is there for gradient checks and references, not speed).
 */
public final class Backends {
    private static final Backend CPU = new CpuBackend();
    private static final Backend REFERENCE = new ReferenceBackend();

    private Backends() {}

    /** The backend for {@code t}: its device's, or on the CPU the one for its dtype. */
    public static Backend of(Tensor t) {
        DeviceMemory m = t.storage().deviceMemory();
        if (m != null) return m.backend();
        return t.dtype() == DType.FLOAT32 ? CPU : REFERENCE;
    }

    /**
     * The backend for a kernel over two tensors: a device's when either lives on one (a device
     * backend takes host operands, such as a scalar made by an op, by copying them over).
     */
    public static Backend of(Tensor a, Tensor b) {
        return a.storage().deviceMemory() == null && b.storage().deviceMemory() != null ? of(b) : of(a);
    }

    /** The backend for a kernel over three tensors, as {@link #of(Tensor, Tensor)}. */
    public static Backend of(Tensor a, Tensor b, Tensor c) {
        return a.storage().deviceMemory() == null && b.storage().deviceMemory() == null ? of(c, a) : of(a, b);
    }

    /** The SIMD CPU backend. */
    public static Backend cpu() {
        return CPU;
    }

    /** The float64 reference backend. */
    public static Backend reference() {
        return REFERENCE;
    }
}
