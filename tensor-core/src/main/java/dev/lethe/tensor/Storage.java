package dev.lethe.tensor;

/**
 * Flat heap memory shared by a tensor and its views: a {@code float[]} or a {@code double[]}.
 *
 * <p>{@code version} counts in-place writes. Autograd records it when it saves a tensor for
 * backward and refuses to use the tensor if the count moved since: a silent wrong gradient
 * becomes a clear error.
 */
public final class Storage {
    private final DType dtype;
    private final float[] floats;
    private final double[] doubles;
    private int version;

    private Storage(DType dtype, float[] floats, double[] doubles) {
        this.dtype = dtype;
        this.floats = floats;
        this.doubles = doubles;
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

    /** The backing array of a float32 storage. */
    public float[] floats() {
        if (floats == null) throw new IllegalStateException("storage is " + dtype + ", not float32");
        return floats;
    }

    /** The backing array of a float64 storage. */
    public double[] doubles() {
        if (doubles == null) throw new IllegalStateException("storage is " + dtype + ", not float64");
        return doubles;
    }

    public int length() {
        return floats != null ? floats.length : doubles.length;
    }

    /** Element {@code i} widened to double. */
    public double get(int i) {
        return floats != null ? floats[i] : doubles[i];
    }

    /** Writes element {@code i} (rounded to float for float32). Does not bump the version. */
    public void set(int i, double v) {
        if (floats != null) floats[i] = (float) v;
        else doubles[i] = v;
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
