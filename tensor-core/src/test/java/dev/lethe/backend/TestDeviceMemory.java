package dev.lethe.backend;

import dev.lethe.tensor.Device;

/**
 * "Device" memory for tests: a float[] that only the test device's backend and the
 * read/write calls touch, so the code under test must go through the device path. Counts the
 * copies, so tests can see host traffic.
 */
final class TestDeviceMemory implements DeviceMemory {
    static int reads, writes, releases;

    final float[] data;
    private final Device device;

    TestDeviceMemory(Device device, float[] data) {
        this.device = device;
        this.data = data;
    }

    @Override
    public Device device() {
        return device;
    }

    @Override
    public int length() {
        return data.length;
    }

    @Override
    public Backend backend() {
        return TestDeviceBackend.INSTANCE;
    }

    @Override
    public void read(int offset, float[] dst, int dstOff, int n) {
        reads++;
        System.arraycopy(data, offset, dst, dstOff, n);
    }

    @Override
    public void write(int offset, float[] src, int srcOff, int n) {
        writes++;
        System.arraycopy(src, srcOff, data, offset, n);
    }

    @Override
    public void fill(float value) {
        java.util.Arrays.fill(data, value);
    }

    /** Poisons the elements (NaN), so that a use the storage failed to refuse would still show. */
    @Override
    public void release() {
        releases++;
        java.util.Arrays.fill(data, Float.NaN);
    }
}
