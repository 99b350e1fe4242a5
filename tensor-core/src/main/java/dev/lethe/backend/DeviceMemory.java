package dev.lethe.backend;

import dev.lethe.tensor.Device;

/**
 * float32 storage on a device other than the CPU, as a {@link DeviceProvider} hands it out: a
 * {@link dev.lethe.tensor.Storage} holds one instead of an array. The provider frees it when
 * no storage refers to it any more, or at once through {@link #release()} (which a
 * {@link dev.lethe.tensor.MemoryScope} calls).
 */
public interface DeviceMemory {
    /** The device it lives on. */
    Device device();

    /** Its length in float32 elements. */
    int length();

    /** The kernels that run on this memory. */
    Backend backend();

    /** Copies elements {@code [offset, offset + n)} to {@code dst[dstOff …]}, after the work queued before. */
    void read(int offset, float[] dst, int dstOff, int n);

    /** Copies {@code src[srcOff … srcOff + n)} to elements {@code [offset, offset + n)}. */
    void write(int offset, float[] src, int srcOff, int n);

    /** Sets every element to {@code value}. */
    void fill(float value);

    /**
     * Gives the memory back to its device now instead of when the garbage collector finds it
     * unreachable; nothing may use it afterwards ({@link dev.lethe.tensor.Storage} refuses to).
     * A second call does nothing. The default does nothing: the collector still frees it.
     */
    default void release() {}
}
