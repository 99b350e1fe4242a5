package dev.lethe.backend;

import dev.lethe.tensor.Device;

/**
 * A device type's entry point, found with {@link java.util.ServiceLoader} (tensor-core {@code
 * uses} this interface; the cuda-kernels jar {@code provides} it for {@code cuda}). A provider
 * on the class path may still find no device: {@link #available()} says so, and {@link
 * #unavailableReason()} says why. tensor-core itself never names a device library.
 */
public interface DeviceProvider {
    /** The device type it serves, e.g. "cuda". */
    String type();

    /** True if at least one device of this type answers. Must not throw. */
    boolean available();

    /** Why no device answers, e.g. "no libcuda.so.1: the NVIDIA driver is not installed"; empty when available. */
    String unavailableReason();

    /** Devices of this type (0 when unavailable). */
    int deviceCount();

    /** A line for reports, e.g. "NVIDIA H100 80GB HBM3, compute 9.0, driver 13.0; GEMM: own tiled SGEMM". */
    String describe(Device device);

    /** {@code length} float32 zeros on {@code device}. */
    DeviceMemory allocate(Device device, int length);

    /** The kernels of {@code device}. */
    Backend backend(Device device);
}
