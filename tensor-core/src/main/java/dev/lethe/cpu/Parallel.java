package dev.lethe.cpu;

import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ForkJoinTask;
import java.util.concurrent.RecursiveAction;

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

    private static volatile ForkJoinPool pool;
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
        ForkJoinPool old = pool;
        pool = n == 1 ? null : new ForkJoinPool(n);
        threads = n;
        if (old != null) old.shutdown();
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
     */
    public static void forChunks(int n, int grain, RangeBody body) {
        int chunks = chunkCount(n, grain);
        ForkJoinPool p = pool;
        if (chunks <= 1 || p == null || ForkJoinTask.inForkJoinPool()) {
            for (int c = 0; c < chunks; c++) body.run(c * grain, Math.min(n, (c + 1) * grain));
            return;
        }
        p.invoke(new ChunkTask(body, n, grain, 0, chunks));
    }

    /** Runs {@code body(i)} for each {@code i} in {@code [0, n)}, one index per chunk. */
    public static void forEach(int n, java.util.function.IntConsumer body) {
        forChunks(n, 1, (s, e) -> {
            for (int i = s; i < e; i++) body.accept(i);
        });
    }

    private static final class ChunkTask extends RecursiveAction {
        private final RangeBody body;
        private final int n, grain, from, to;

        ChunkTask(RangeBody body, int n, int grain, int from, int to) {
            this.body = body;
            this.n = n;
            this.grain = grain;
            this.from = from;
            this.to = to;
        }

        @Override
        protected void compute() {
            if (to - from == 1) {
                body.run(from * grain, Math.min(n, (from + 1) * grain));
                return;
            }
            int mid = (from + to) >>> 1;
            invokeAll(new ChunkTask(body, n, grain, from, mid), new ChunkTask(body, n, grain, mid, to));
        }
    }
}
