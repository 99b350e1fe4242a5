package dev.lethe.cli;

import dev.lethe.backend.Devices;
import dev.lethe.cpu.Parallel;
import dev.lethe.tensor.Device;
import picocli.CommandLine.Option;

import java.io.PrintWriter;

/** {@code --device}: where a command computes; an unusable GPU falls back to the CPU after one plain line saying why. */
final class DeviceOption {
    @Option(names = "--device", defaultValue = "cpu", paramLabel = "DEVICE",
            description = "cpu, cuda or cuda:N. Without a usable GPU (or the cuda-kernels jar) cuda runs on the CPU and says why (default: ${DEFAULT-VALUE}).")
    String device;

    /**
     * The device to use: --device when it can be used, else the CPU after a line on {@code err}
     * ("lethe COMMAND: no CUDA device: …; running on the CPU").
     *
     * @throws IllegalArgumentException for a name that is not a device
     */
    Device resolve(String command, PrintWriter err) {
        Device d = Device.parse(device);
        if (Devices.available(d)) return d;
        err.println("lethe " + command + ": " + Devices.unavailableReason(d) + "; running on the CPU");
        return Device.CPU;
    }

    /** How a header line names where a command runs: the CPU with its thread count, or the device. */
    static String describe(Device d) {
        return d.isCpu() ? "running on the CPU, " + Parallel.threads() + " threads" : "running on " + Devices.describe(d);
    }
}
