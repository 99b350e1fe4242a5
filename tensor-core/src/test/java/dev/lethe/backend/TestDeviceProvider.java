package dev.lethe.backend;

import dev.lethe.tensor.Device;
import dev.lethe.tensor.Tensor;

import java.util.List;

/**
 * A device type for tests, "testdev", with two devices whose memory is a Java array and whose
 * kernels are the CPU backend's (through {@link TestDeviceBackend}): results must equal the
 * CPU's bit for bit wherever the same kernels run, so any difference is the device plumbing.
 * Registered in src/test/resources/META-INF/services.
 */
public final class TestDeviceProvider implements DeviceProvider {
    public static final Device DEV0 = new Device("testdev", 0);

    /** Off: maxPool2d on this device runs the composition of unfold and max (as on a device without kernels). */
    public static volatile boolean poolingKernels = true;

    /** Off: softmax and log-softmax on this device run their composition (as on a device without kernels). */
    public static volatile boolean softmaxKernels = true;

    /** How many copies between the host and test-device memory were made so far (reads and writes). */
    public static int hostCopies() {
        return TestDeviceMemory.reads + TestDeviceMemory.writes;
    }

    /** How many copies from test-device memory to the host were made so far. */
    public static int downloads() {
        return TestDeviceMemory.reads;
    }

    /** How many test-device memories were released so far (by MemoryScopes). */
    public static int releases() {
        return TestDeviceMemory.releases;
    }

    /** Copies of {@code tensors} on {@link #DEV0}, in order. */
    public static List<Tensor> onDev0(List<Tensor> tensors) {
        return tensors.stream().map(t -> t.to(DEV0)).toList();
    }

    @Override
    public String type() {
        return "testdev";
    }

    @Override
    public boolean available() {
        return true;
    }

    @Override
    public String unavailableReason() {
        return "";
    }

    @Override
    public int deviceCount() {
        return 2;
    }

    @Override
    public String describe(Device device) {
        return "test device " + device.index();
    }

    @Override
    public DeviceMemory allocate(Device device, int length) {
        return new TestDeviceMemory(device, new float[length]);
    }

    @Override
    public Backend backend(Device device) {
        return TestDeviceBackend.INSTANCE;
    }
}
