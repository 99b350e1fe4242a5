package dev.lethe.tensor;

/**
 * Element types. float32 is the working type on every device; float64 exists on the CPU for
 * gradient checks and for the reference path.
 */
public enum DType {
    FLOAT32("float32", 4),
    FLOAT64("float64", 8);

    private final String label;
    private final int bytes;

    DType(String label, int bytes) {
        this.label = label;
        this.bytes = bytes;
    }

    /** Bytes per element. */
    public int bytes() {
        return bytes;
    }

    @Override
    public String toString() {
        return label;
    }
}
