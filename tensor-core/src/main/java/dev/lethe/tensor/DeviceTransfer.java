package dev.lethe.tensor;

import dev.lethe.autograd.Autograd;
import dev.lethe.backend.Backends;
import dev.lethe.backend.DeviceMemory;
import dev.lethe.backend.Devices;

/**
 * to(device): y = x, held on another device. A differentiable op — ∂L/∂x = ∂L/∂y copied back
 * to x's device — that lives beside Tensor rather than in {@code dev.lethe.ops} because it
 * moves memory and computes nothing: the op table's gradient and float32/float64 checks have
 * nothing to say about it on a CPU-only machine. DeviceTransferTest checks it with a test
 * device; the cuda-kernels GPU tests check it on a GPU.
 */
final class DeviceTransfer {
    private DeviceTransfer() {}

    static Tensor apply(Tensor x, Device to) {
        Device from = x.device();
        if (from.equals(to)) return x;
        Tensor y = copy(x, to);
        return Autograd.record("to(" + to + ")", y, new Tensor[] {x}, g -> new Tensor[] {g.to(from)});
    }

    /**
     * A contiguous copy of x's values on {@code to}, recording nothing.
     *
     * @throws IllegalArgumentException for a float64 tensor bound for a device
     * @throws IllegalStateException when {@code to} cannot be used
     */
    static Tensor copy(Tensor x, Device to) {
        int n = x.numel();
        int[] shape = x.shape();
        DeviceMemory src = x.storage().deviceMemory();
        if (src != null) {
            // Gather a strided view into contiguous device memory first, on the device.
            Tensor c = x.isContiguous() ? x : Backends.of(x).cast(x, DType.FLOAT32);
            float[] host = new float[n];
            c.storage().deviceMemory().read(c.offset(), host, 0, n);
            Tensor h = Tensor.wrap(Storage.wrap(host), shape);
            return to.isCpu() ? h : copy(h, to);
        }
        if (x.dtype() != DType.FLOAT32) {
            throw new IllegalArgumentException("to(" + to + "): only float32 tensors live on a device; this one is " + x.dtype()
                    + " of shape " + Shapes.str(shape) + " (convert it with to(DType.FLOAT32) first)");
        }
        DeviceMemory m = Devices.provider(to).allocate(to, n);
        // Straight from the host storage when x is contiguous (no staging copy of the values).
        Tensor c = x.contiguous();
        m.write(0, c.storage().floats(), c.offset(), n);
        return Tensor.wrap(Storage.onDevice(m), shape);
    }

    /** Storage of {@code n} elements of {@code value} on {@code device}. */
    static Storage allocate(Device device, DType dtype, int n, double value) {
        if (dtype != DType.FLOAT32) {
            throw new IllegalArgumentException("only float32 tensors live on " + device + ", not " + dtype);
        }
        DeviceMemory m = Devices.provider(device).allocate(device, n);
        if (value != 0) m.fill((float) value);
        return Storage.onDevice(m);
    }
}
