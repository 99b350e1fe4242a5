package dev.lethe.cuda;

import jcuda.driver.CUdevice;
import jcuda.driver.CUdevice_attribute;
import jcuda.driver.CUresult;
import jcuda.driver.JCudaDriver;

import java.nio.charset.StandardCharsets;

/**
 * Does a CUDA GPU answer on this machine? The one class that touches JCuda first: it loads
 * the driver binding, calls {@code cuInit} and counts devices inside one {@code try} that
 * catches every {@link Throwable} (an {@link UnsatisfiedLinkError} when {@code libcuda.so.1}
 * is missing, a {@link NoClassDefFoundError} when the JCuda jar is absent), once per JVM,
 * and caches the answer with the reason. Every other class of this module asks here before
 * it calls JCuda, so without a GPU nothing else ever loads a native library.
 *
 * <p>{@code -Dlethe.cuda=off} makes the probe answer "unavailable" on a machine with a GPU
 * too (to run the CPU path there).
 */
public final class CudaProbe {
    /**
     * The probe's result.
     *
     * @param available   true if at least one device answered
     * @param deviceCount devices the driver reports (0 when unavailable)
     * @param device      "NVIDIA H100 80GB HBM3, compute 9.0, driver 13.0" for device 0, or ""
     * @param reason      why no GPU is used (empty when available)
     */
    public record Answer(boolean available, int deviceCount, String device, String reason) {}

    private static final class Holder {
        static final Answer ANSWER = probe();
    }

    private CudaProbe() {}

    /** The cached answer; the first call probes. Never throws. */
    public static Answer answer() {
        return Holder.ANSWER;
    }

    /** True if a CUDA device answered. */
    public static boolean available() {
        return answer().available();
    }

    /** Why CUDA is not used here, e.g. "libcuda.so.1 is not installed (…)"; empty when it is. */
    public static String reason() {
        return answer().reason();
    }

    /**
     * Returns quietly when a GPU answered.
     *
     * @throws IllegalStateException "no CUDA device: <reason>" otherwise
     */
    public static void require() {
        if (!available()) throw new IllegalStateException("no CUDA device: " + reason());
    }

    private static Answer probe() {
        if ("off".equalsIgnoreCase(System.getProperty("lethe.cuda", ""))) {
            return unavailable("switched off with -Dlethe.cuda=off");
        }
        try {
            JCudaDriver.setExceptionsEnabled(false); // loads libJCudaDriver, which links libcuda.so.1
            int r = JCudaDriver.cuInit(0);
            if (r != CUresult.CUDA_SUCCESS) return unavailable("cuInit failed: " + CUresult.stringFor(r));
            int[] count = new int[1];
            r = JCudaDriver.cuDeviceGetCount(count);
            if (r != CUresult.CUDA_SUCCESS) return unavailable("cuDeviceGetCount failed: " + CUresult.stringFor(r));
            if (count[0] == 0) return unavailable("the NVIDIA driver found no CUDA device");
            return new Answer(true, count[0], describe(0), "");
        } catch (Throwable t) { // a missing native library or jar must never escape: the CPU path goes on
            return unavailable(explain(t));
        }
    }

    private static Answer unavailable(String reason) {
        return new Answer(false, 0, "", reason);
    }

    /** "NVIDIA H100 80GB HBM3, compute 9.0, driver 13.0". */
    private static String describe(int ordinal) {
        CUdevice dev = new CUdevice();
        CudaException.check(JCudaDriver.cuDeviceGet(dev, ordinal), "cuDeviceGet(" + ordinal + ")");
        byte[] name = new byte[256];
        CudaException.check(JCudaDriver.cuDeviceGetName(name, name.length, dev), "cuDeviceGetName");
        int len = 0;
        while (len < name.length && name[len] != 0) len++;
        int[] major = new int[1], minor = new int[1], driver = new int[1];
        JCudaDriver.cuDeviceGetAttribute(major, CUdevice_attribute.CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MAJOR, dev);
        JCudaDriver.cuDeviceGetAttribute(minor, CUdevice_attribute.CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MINOR, dev);
        JCudaDriver.cuDriverGetVersion(driver);
        return new String(name, 0, len, StandardCharsets.US_ASCII) + ", compute " + major[0] + "." + minor[0]
                + ", driver " + driver[0] / 1000 + "." + driver[0] % 1000 / 10;
    }

    /** A reason a person can act on, from whatever the first JCuda call threw. */
    static String explain(Throwable t) {
        Throwable root = t;
        while (root.getCause() != null && root.getCause() != root) root = root.getCause();
        String msg = String.valueOf(root.getMessage());
        if (msg.contains("libcuda.so")) return "no libcuda.so.1: the NVIDIA driver is not installed (" + lineWith(msg, "libcuda.so") + ")";
        if (root instanceof NoClassDefFoundError || root instanceof ClassNotFoundException) {
            return "the JCuda jar is not on the class path (" + firstLine(msg) + ")";
        }
        if (root instanceof UnsatisfiedLinkError) return "JCuda's native driver binding did not load (" + firstLine(msg) + ")";
        return "the CUDA driver did not answer: " + root.getClass().getSimpleName() + ": " + firstLine(msg);
    }

    /** The line of a multi-line message (JCuda's holds nested stack traces) that names {@code what}. */
    private static String lineWith(String s, String what) {
        for (String line : s.split("\n")) if (line.contains(what)) return line.replaceFirst("^java\\.lang\\.UnsatisfiedLinkError: ", "").strip();
        return firstLine(s);
    }

    private static String firstLine(String s) {
        int nl = s.indexOf('\n');
        return (nl < 0 ? s : s.substring(0, nl)).strip();
    }
}
