package dev.lethe.cuda;

import dev.lethe.backend.Backend;
import dev.lethe.backend.DeviceMemory;
import dev.lethe.tensor.Device;
import jcuda.driver.CUdeviceptr;

/**
 * float32 elements in a {@link DeviceBuffer} of one GPU: what a {@link dev.lethe.tensor.Storage}
 * holds for a CUDA tensor. Freed by the buffer's Cleaner when no storage refers to it, or at
 * once by {@link #release()}.
 */
final class CudaMemory implements DeviceMemory {
    private final CudaBackend backend;
    private final DeviceBuffer<CUdeviceptr> buffer;
    private final int length;

    CudaMemory(CudaBackend backend, int length) {
        this.backend = backend;
        this.length = length;
        // At least one element: cuMemAlloc refuses 0 bytes, and an empty tensor still needs a pointer.
        this.buffer = backend.context().allocateFloats(Math.max(length, 1));
    }

    /** The first element. */
    CUdeviceptr pointer() {
        return buffer.handle();
    }

    /** Element {@code offset}. */
    CUdeviceptr pointer(long offset) {
        return offset == 0 ? buffer.handle() : buffer.handle().withByteOffset(offset * Float.BYTES);
    }

    @Override
    public Device device() {
        return backend.device();
    }

    @Override
    public int length() {
        return length;
    }

    @Override
    public Backend backend() {
        return backend;
    }

    @Override
    public void read(int offset, float[] dst, int dstOff, int n) {
        check(offset, n);
        backend.context().download(buffer.handle(), offset, dst, dstOff, n);
    }

    @Override
    public void write(int offset, float[] src, int srcOff, int n) {
        check(offset, n);
        backend.context().upload(src, srcOff, buffer.handle(), offset, n);
    }

    @Override
    public void fill(float value) {
        backend.context().fill(buffer.handle(), 0, length, value);
    }

    /**
     * Hands the block back to the allocator's cache now. Kernels already queued that use it
     * still run first: the next user of the block queues its work on the same stream.
     */
    @Override
    public void release() {
        buffer.close();
    }

    private void check(int offset, int n) {
        if (offset < 0 || n < 0 || (long) offset + n > length) {
            throw new IndexOutOfBoundsException("elements [" + offset + ", " + ((long) offset + n) + ") of device memory of length " + length);
        }
    }
}
