package dev.lethe.tensor;

import dev.lethe.backend.DeviceMemory;

/**
 * Flat memory shared by a tensor and its views: a {@code float[]} or a {@code double[]} on the
 * Java heap, or float32 {@link DeviceMemory} on a device (a GPU). Device storage has no array:
 * {@link #floats()} refuses it, and {@link #get}/{@link #set} copy single elements (slow; for
 * {@code item()} and printing).
 *
 * <p>{@code version} counts in-place writes. Autograd records it when it saves a tensor for
 * backward and refuses to use the tensor if the count moved since: a silent wrong gradient
 * becomes a clear error.
 */
public final class Storage {
    private final DType dtype;
    private final float[] floats;
    private final double[] doubles;
    private final DeviceMemory memory;
    private boolean released;
    private int version;

    private Storage(DType dtype, float[] floats, double[] doubles) {
        this.dtype = dtype;
        this.floats = floats;
        this.doubles = doubles;
        this.memory = null;
    }

    private Storage(DeviceMemory memory) {
        this.dtype = DType.FLOAT32;
        this.floats = null;
        this.doubles = null;
        this.memory = memory;
    }

    /** float32 storage over device memory (no copy), owned by this thread's open {@link MemoryScope} if any. */
    public static Storage onDevice(DeviceMemory memory) {
        Storage s = new Storage(memory);
        MemoryScope.register(s);
        return s;
    }

    /** Zeroed storage of {@code n} elements. */
    public static Storage allocate(DType dtype, int n) {
        return dtype == DType.FLOAT32 ? new Storage(dtype, new float[n], null) : new Storage(dtype, null, new double[n]);
    }

    /** Wraps (does not copy) {@code data}. */
    public static Storage wrap(float[] data) {
        return new Storage(DType.FLOAT32, data, null);
    }

    /** Wraps (does not copy) {@code data}. */
    public static Storage wrap(double[] data) {
        return new Storage(DType.FLOAT64, null, data);
    }

    public DType dtype() {
        return dtype;
    }

    /** Where the elements live. */
    public Device device() {
        return memory == null ? Device.CPU : memory.device();
    }

    /**
     * The device memory, or null for heap storage.
     *
     * @throws IllegalStateException once {@link #release()}d
     */
    public DeviceMemory deviceMemory() {
        if (released) {
            throw new IllegalStateException("device storage of " + memory.length() + " floats on " + memory.device()
                    + " was released when its MemoryScope closed; keep a tensor that must outlive its scope (MemoryScope.keep)");
        }
        return memory;
    }

    /**
     * Gives device memory back to its device now (see {@link DeviceMemory#release()}); every
     * later use of this storage throws. Nothing happens to heap storage, which only the
     * garbage collector frees, or on a second call.
     */
    public void release() {
        if (memory == null || released) return;
        released = true;
        memory.release();
    }

    /** True once {@link #release()}d. */
    public boolean isReleased() {
        return released;
    }

    /** The backing array of a float32 storage. */
    public float[] floats() {
        if (floats == null) throw new IllegalStateException(memory != null ? onDevice() : "storage is " + dtype + ", not float32");
        return floats;
    }

    /** The backing array of a float64 storage. */
    public double[] doubles() {
        if (doubles == null) throw new IllegalStateException(memory != null ? onDevice() : "storage is " + dtype + ", not float64");
        return doubles;
    }

    private String onDevice() {
        return "storage lives on " + memory.device() + ", not in a Java array: copy the tensor with to(Device.cpu()) first";
    }

    public int length() {
        return floats != null ? floats.length : doubles != null ? doubles.length : memory.length();
    }

    /** Element {@code i} widened to double (on a device: a one-element copy). */
    public double get(int i) {
        if (floats != null) return floats[i];
        if (doubles != null) return doubles[i];
        float[] one = new float[1];
        deviceMemory().read(i, one, 0, 1);
        return one[0];
    }

    /** Writes element {@code i} (rounded to float for float32). Does not bump the version. */
    public void set(int i, double v) {
        if (floats != null) floats[i] = (float) v;
        else if (doubles != null) doubles[i] = v;
        else deviceMemory().write(i, new float[] {(float) v}, 0, 1);
    }

    /** How many in-place writes this storage has seen. */
    public int version() {
        return version;
    }

    /** Records an in-place write. */
    public void bumpVersion() {
        version++;
    }
}
