package dev.lethe.cpu;

/**
 * Deterministic data parallelism for the CPU kernels.
 *
 * <p>Work over {@code [0, n)} is always cut into the same chunks, {@code [k·grain,
 * min((k+1)·grain, n))}, whatever the thread count; threads only decide <em>who</em> runs a
 * chunk. A kernel whose chunks write disjoint outputs, and that combines any per-chunk
 * partial results in chunk order, therefore gives the same bits on 1 thread or 64. This is
 * what makes training bitwise reproducible for a seed.
 *
 * <p>The thread count comes from {@code -Dlethe.threads=N} (default: available processors)
 * and can be changed with {@link #setThreads(int)}.
 */
public final class Parallel {
    /** Name of the system property that sets the default thread count. */
    public static final String PROPERTY = "lethe.threads";

    /** threads − 1 helpers; the calling thread is the last one. Null for one thread. */
    private static volatile Workers pool;
    /** True while this thread runs chunks, so nested calls stay on it. */
    private static final ThreadLocal<boolean[]> INSIDE = ThreadLocal.withInitial(() -> new boolean[1]);
    private static volatile int threads;

    static {
        int n = Runtime.getRuntime().availableProcessors();
        String raw = System.getProperty(PROPERTY);
        if (raw != null && !raw.isBlank()) {
            try {
                n = Integer.parseInt(raw.trim());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("-D" + PROPERTY + "=" + raw + " is not a whole number of threads");
            }
        }
        setThreads(n);
    }

    private Parallel() {}

    /** A body run over one chunk {@code [start, end)}. */
    @FunctionalInterface
    public interface RangeBody {
        void run(int start, int end);
    }

    /** The number of threads kernels may use. */
    public static int threads() {
        return threads;
    }

    /**
     * Sets the number of threads kernels may use (1 runs everything on the caller).
     *
     * @throws IllegalArgumentException if {@code n < 1}
     */
    public static synchronized void setThreads(int n) {
        if (n < 1) throw new IllegalArgumentException("thread count must be at least 1, got " + n);
        if (n == threads) return;
        Workers old = pool;
        pool = n == 1 ? null : new Workers(n - 1);
        threads = n;
        if (old != null) old.stop();
    }

    /** How many chunks of {@code grain} cover {@code n} items. */
    public static int chunkCount(long n, int grain) {
        if (grain < 1) throw new IllegalArgumentException("grain must be at least 1, got " + grain);
        return (int) ((n + grain - 1) / grain);
    }

    /**
     * Runs {@code body} over the chunks of {@code [0, n)} of size {@code grain} (the last one
     * shorter). Chunks are identical for every thread count; with one thread or one chunk the
     * caller runs them in order.
     *
     * <p>The caller works too: it and the {@code threads − 1} helpers (see {@link Workers})
     * each claim the chunks of their own contiguous block, then whatever is left of the
     * others', so nothing waits on a sleeping helper and a slow thread simply takes fewer
     * chunks; calls over the same data cut alike leave each thread mostly on what it touched
     * before. A call made from inside a chunk runs
     * sequentially. A chunk's exception reaches the caller once every claimed chunk is done.
     */
    public static void forChunks(int n, int grain, RangeBody body) {
        int chunks = chunkCount(n, grain);
        Workers p = pool;
        boolean[] inside = INSIDE.get();
        if (chunks <= 1 || p == null || inside[0] || Workers.isHelper()) {
            for (int c = 0; c < chunks; c++) body.run(c * grain, Math.min(n, (c + 1) * grain));
            return;
        }
        inside[0] = true;
        try {
            p.run(chunks, c -> body.run(c * grain, Math.min(n, (c + 1) * grain)));
        } finally {
            inside[0] = false;
        }
    }

    /**
     * Says that a parallel call follows soon, after work the caller does alone: parked helpers
     * start to wake now and wait for it spinning ({@link Workers#wake}). Only a hint: results
     * never depend on it, and with one thread it does nothing.
     */
    public static void wake() {
        Workers p = pool;
        if (p != null) p.wake();
    }

    /** The current pool's helper threads (none with one thread), for tests. */
    static java.util.List<Thread> helpers() {
        Workers p = pool;
        return p == null ? java.util.List.of() : p.threads();
    }

    /** Runs {@code body(i)} for each {@code i} in {@code [0, n)}, one index per chunk. */
    public static void forEach(int n, java.util.function.IntConsumer body) {
        forChunks(n, 1, (s, e) -> {
            for (int i = s; i < e; i++) body.accept(i);
        });
    }
}
