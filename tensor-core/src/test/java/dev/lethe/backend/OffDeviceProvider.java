package dev.lethe.backend;

import dev.lethe.tensor.Device;

/** A provider on the class path whose devices do not answer ("offdev"), for the error path. */
public final class OffDeviceProvider implements DeviceProvider {
    @Override
    public String type() {
        return "offdev";
    }

    @Override
    public boolean available() {
        return false;
    }

    @Override
    public String unavailableReason() {
        return "switched off for the test";
    }

    @Override
    public int deviceCount() {
        return 0;
    }

    @Override
    public String describe(Device device) {
        throw new IllegalStateException("unavailable");
    }

    @Override
    public DeviceMemory allocate(Device device, int length) {
        throw new IllegalStateException("unavailable");
    }

    @Override
    public Backend backend(Device device) {
        throw new IllegalStateException("unavailable");
    }
}
