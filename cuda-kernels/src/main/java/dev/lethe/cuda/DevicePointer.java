package dev.lethe.cuda;

import jcuda.driver.CUdeviceptr;

/**
 * A device address that can also say what it is as a number. JCuda keeps a pointer's value
 * (its native pointer plus a byte offset) out of reach of other classes; a subclass may read
 * it, so every block Lethe allocates is one of these, and {@link #withByteOffset} keeps the
 * type. {@link KernelArguments} writes the numbers straight into the native memory that
 * {@code cuLaunchKernel} reads, instead of handing JCuda a Java object per argument.
 */
final class DevicePointer extends CUdeviceptr {
    /** An empty pointer for {@code cuMemAlloc} to fill. */
    DevicePointer() {}

    private DevicePointer(DevicePointer base, long byteOffset) {
        super(base, byteOffset);
    }

    /** This address plus {@code byteOffset} bytes. */
    @Override
    public DevicePointer withByteOffset(long byteOffset) {
        return new DevicePointer(this, byteOffset);
    }

    /** The device address as a number: the allocation's base plus every byte offset applied. */
    long address() {
        return getNativePointer() + getByteOffset();
    }

    /**
     * The address of a pointer Lethe made.
     *
     * @throws IllegalArgumentException for a CUdeviceptr from elsewhere (say, one made with
     *                                  {@code new CUdeviceptr()} outside this module)
     */
    static long addressOf(CUdeviceptr p) {
        if (p instanceof DevicePointer d) return d.address();
        if (p == null) throw new IllegalArgumentException("kernel argument: a null device pointer (an optional buffer goes through ptrOrNull)");
        throw new IllegalArgumentException("kernel argument " + p + ": expected a device pointer from Lethe's allocator (a DevicePointer), got a "
                + p.getClass().getName());
    }
}
