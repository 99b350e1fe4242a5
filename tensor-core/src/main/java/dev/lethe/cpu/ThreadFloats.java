package dev.lethe.cpu;

/**
 * A scratch array of floats per thread, grown on demand and kept for the thread's next call,
 * so a kernel called in a loop (one per image, per chunk, per step) allocates it once.
 */
final class ThreadFloats {
    private final ThreadLocal<float[]> local = ThreadLocal.withInitial(() -> new float[0]);

    /** This thread's array, at least {@code len} long; it holds whatever the thread last left in it. */
    float[] atLeast(int len) {
        float[] b = local.get();
        if (b.length < len) local.set(b = new float[len]);
        return b;
    }
}
