package dev.lethe.backend;

import dev.lethe.cpu.CpuBackend;
import dev.lethe.reference.ReferenceBackend;
import dev.lethe.tensor.DType;
import dev.lethe.tensor.Tensor;

/**
 * Picks the backend for a tensor: float32 runs on the SIMD {@link CpuBackend}, float64 on the
 * plain {@link ReferenceBackend} (float64 is there for gradient checks and references, not
 * speed).
 */
public final class Backends {
    private static final Backend CPU = new CpuBackend();
    private static final Backend REFERENCE = new ReferenceBackend();

    private Backends() {}

    /** The backend for {@code t}'s dtype. */
    public static Backend of(Tensor t) {
        return t.dtype() == DType.FLOAT32 ? CPU : REFERENCE;
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
