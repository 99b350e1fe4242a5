package dev.lethe.tensor;

/**
 * Where a tensor's storage lives: {@code cpu} (the Java heap) or an accelerator such as
 * {@code cuda:0}. Tensors on a device other than the CPU need a {@link
 * dev.lethe.backend.DeviceProvider} for its type on the class path (the cuda-kernels jar for
 * {@code cuda}) and a device that answers.
 *
 * @param type  "cpu", "cuda", …: lowercase letters
 * @param index the device ordinal (0 for the CPU)
 */
public record Device(String type, int index) {
    /** The Java heap. */
    public static final Device CPU = new Device("cpu", 0);

    /** @throws IllegalArgumentException for an empty or non-lowercase type, or a negative index */
    public Device {
        if (type == null || !type.matches("[a-z]+")) throw new IllegalArgumentException("device type must be lowercase letters, got '" + type + "'");
        if (index < 0) throw new IllegalArgumentException("device index must be ≥ 0, got " + index + " for " + type);
        if (type.equals("cpu") && index != 0) throw new IllegalArgumentException("there is one cpu device, cpu:0; got cpu:" + index);
    }

    /** The Java heap. */
    public static Device cpu() {
        return CPU;
    }

    /** CUDA GPU number {@code index}. */
    public static Device cuda(int index) {
        return new Device("cuda", index);
    }

    /**
     * "cpu", "cuda" (= cuda:0) or "cuda:1".
     *
     * @throws IllegalArgumentException for anything else
     */
    public static Device parse(String s) {
        String t = s.strip().toLowerCase(java.util.Locale.ROOT);
        int colon = t.indexOf(':');
        try {
            if (colon < 0) return t.equals("cpu") ? CPU : new Device(t, 0);
            return new Device(t.substring(0, colon), Integer.parseInt(t.substring(colon + 1)));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("not a device: '" + s + "' (expected cpu, cuda or cuda:N)", e);
        }
    }

    public boolean isCpu() {
        return this.equals(CPU);
    }

    /** "cpu" or "cuda:0". */
    @Override
    public String toString() {
        return isCpu() ? "cpu" : type + ":" + index;
    }
}
