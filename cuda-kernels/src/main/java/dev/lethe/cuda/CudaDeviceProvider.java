package dev.lethe.cuda;

import dev.lethe.backend.Backend;
import dev.lethe.backend.DeviceMemory;
import dev.lethe.backend.DeviceProvider;
import dev.lethe.tensor.Device;

/**
 * tensor-core's entry to CUDA ({@code cuda:N} devices), registered for {@link
 * java.util.ServiceLoader} in META-INF/services. {@link #available()} is the {@link CudaProbe}'s
 * answer: on a machine without a GPU it is false with the probe's reason, and nothing else here
 * is ever called.
 */
public final class CudaDeviceProvider implements DeviceProvider {
    @Override
    public String type() {
        return "cuda";
    }

    @Override
    public boolean available() {
        return CudaProbe.available();
    }

    @Override
    public String unavailableReason() {
        return CudaProbe.reason();
    }

    @Override
    public int deviceCount() {
        return CudaProbe.answer().deviceCount();
    }

    @Override
    public String describe(Device device) {
        return device + ": " + CudaProbe.answer().device() + "; GEMM: " + CudaBackend.of(device.index()).gemmImplementation();
    }

    @Override
    public DeviceMemory allocate(Device device, int length) {
        CudaBackend b = CudaBackend.of(device.index());
        CudaMemory m = new CudaMemory(b, length);
        m.fill(0f);
        return m;
    }

    @Override
    public Backend backend(Device device) {
        return CudaBackend.of(device.index());
    }
}
