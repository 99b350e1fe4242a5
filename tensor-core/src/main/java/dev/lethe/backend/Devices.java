package dev.lethe.backend;

import dev.lethe.tensor.Device;

import java.util.ArrayList;
import java.util.List;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;

/**
 * The device providers on the class path, loaded once with {@link ServiceLoader}. A provider
 * that fails to load is remembered with the reason, never thrown at a CPU-only user.
 */
public final class Devices {
    private Devices() {}

    private static final class Loaded {
        static final List<DeviceProvider> PROVIDERS = new ArrayList<>();
        static final List<String> FAILURES = new ArrayList<>();

        static {
            try {
                var it = ServiceLoader.load(DeviceProvider.class, Devices.class.getClassLoader()).iterator();
                while (true) {
                    try {
                        if (!it.hasNext()) break;
                        PROVIDERS.add(it.next());
                    } catch (ServiceConfigurationError | LinkageError e) {
                        FAILURES.add(String.valueOf(e.getMessage()));
                    }
                }
            } catch (ServiceConfigurationError e) {
                FAILURES.add(String.valueOf(e.getMessage()));
            }
        }
    }

    /** The provider for {@code type}, or null when none is on the class path. */
    static DeviceProvider find(String type) {
        for (DeviceProvider p : Loaded.PROVIDERS) if (p.type().equals(type)) return p;
        return null;
    }

    /** True if tensors can live on {@code device}: the CPU always, else a provider with that device answering. */
    public static boolean available(Device device) {
        if (device.isCpu()) return true;
        DeviceProvider p = find(device.type());
        return p != null && p.available() && device.index() < p.deviceCount();
    }

    /**
     * Why {@code device} cannot be used, or "" when it can: e.g. "no CUDA device: no
     * libcuda.so.1: the NVIDIA driver is not installed (…)".
     */
    public static String unavailableReason(Device device) {
        if (available(device)) return "";
        String label = device.type().equals("cuda") ? "CUDA" : device.type();
        DeviceProvider p = find(device.type());
        if (p == null) {
            String jar = device.type().equals("cuda") ? "the cuda-kernels jar" : "no provider of '" + device.type() + "' devices";
            return "no " + label + " device: " + jar + " is not on the class path"
                    + (Loaded.FAILURES.isEmpty() ? "" : " (a provider failed to load: " + String.join("; ", Loaded.FAILURES) + ")");
        }
        if (!p.available()) return "no " + label + " device: " + p.unavailableReason();
        return "no " + label + " device " + device + ": this machine has " + p.deviceCount();
    }

    /**
     * The provider of {@code device}.
     *
     * @throws IllegalStateException "no CUDA device: &lt;reason&gt;" when it cannot be used
     * @throws IllegalArgumentException for the CPU, which needs no provider
     */
    public static DeviceProvider provider(Device device) {
        if (device.isCpu()) throw new IllegalArgumentException("the cpu device has no provider: its tensors are Java arrays");
        if (!available(device)) throw new IllegalStateException(unavailableReason(device));
        return find(device.type());
    }

    /** A line for reports: "cpu" or the provider's description of the device. */
    public static String describe(Device device) {
        return device.isCpu() ? "cpu" : provider(device).describe(device);
    }
}
