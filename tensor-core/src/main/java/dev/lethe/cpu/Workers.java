package dev.lethe.cpu;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;

/**
 * The helper threads of {@link Parallel}: daemon threads that claim chunks of the job the
 * caller publishes, and that spin for {@value #SPIN_NANOS} ns after their last chunk before
 * they park.
 *
 * <p>Why spin: a training step calls kernels back to back, each a few hundred microseconds
 * long; a parked thread takes tens of microseconds to wake on a virtual machine, so a pool
 * that parks between calls (as {@code ForkJoinPool} does) left the second core idle for much
 * of each call, and a product split in two often ran both halves on the caller. A spinning
 * helper picks the next job up within a microsecond. After {@value #SPIN_NANOS} ns without
 * work it parks and costs nothing.
 *
 * <p>Nothing waits on a helper that has not started: the caller claims chunks too, until none
 * is left, and then waits only for chunks a helper has already claimed. A helper that never
 * wakes (or a lost wake-up) therefore only means the caller does more of the work.
 */
final class Workers {
    /** How long an idle helper spins before parking. */
    static final long SPIN_NANOS = 200_000;
    /** How long helpers spin after {@link #wake}, waiting for the job it announces. */
    static final long WAKE_NANOS = 2_000_000;

    /**
     * One call's chunks, split into one contiguous block per thread: thread t (the caller is 0,
     * helper i is i + 1) claims its own block's chunks in order, then the other blocks' from
     * where their claims have reached, so a late or slow thread only means others take more.
     *
     * <p>Why blocks: successive calls over the same data cut alike (a selection pass, then
     * the pass writing its mask) then leave a thread mostly writing what it read itself.
     * Claimed from one shared counter, each chunk went to whichever thread was free, and
     * writing a line the other core had just read cost an invalidation each: pruning's writing
     * pass at 10M floats took 2.2–2.8 ms that way and 1.1 ms with blocks (session 18, a probe
     * after the selection pass), 1.4 ms on one thread.
     */
    static final class Job {
        /** Ints between two blocks' claim counters: one cache line, so the threads' claims do not share one. */
        private static final int PAD = 16;
        final int chunks;
        final ChunkBody body;
        private final int blocks;
        /** Block b's next unclaimed chunk, at index b·PAD; block b is [b·chunks/blocks, (b+1)·chunks/blocks). */
        private final AtomicIntegerArray next;
        final AtomicInteger done = new AtomicInteger();
        final AtomicReference<Throwable> failure = new AtomicReference<>();

        /** The chunks split into blocks for {@code threads} threads. */
        Job(int chunks, int threads, ChunkBody body) {
            this.chunks = chunks;
            this.body = body;
            blocks = Math.max(1, Math.min(threads, chunks));
            next = new AtomicIntegerArray(blocks * PAD);
            for (int b = 0; b < blocks; b++) next.set(b * PAD, blockStart(b));
        }

        private int blockStart(int b) {
            return (int) ((long) b * chunks / blocks);
        }

        /** Claims and runs chunks until none is left: block {@code thread} first, then the others in turn. */
        void work(int thread) {
            for (int k = 0; k < blocks; k++) {
                int b = (thread + k) % blocks, end = blockStart(b + 1);
                for (int c; (c = next.getAndIncrement(b * PAD)) < end; ) {
                    try {
                        body.run(c);
                    } catch (Throwable t) {
                        failure.compareAndSet(null, t);
                    } finally {
                        done.incrementAndGet();
                    }
                }
            }
        }
    }

    /** Runs chunk number {@code c}. */
    @FunctionalInterface
    interface ChunkBody {
        void run(int c);
    }

    private final Helper[] helpers;
    private volatile Job current;
    private volatile boolean stopped;
    /** {@link System#nanoTime} until which idle helpers spin rather than park ({@link #wake}). */
    private volatile long spinUntil = System.nanoTime();

    Workers(int count) {
        helpers = new Helper[count];
        for (int i = 0; i < count; i++) {
            helpers[i] = new Helper(this, i + 1, "lethe-worker-" + i);
            helpers[i].start();
        }
    }

    /** Runs chunks 0 … chunks − 1 of {@code body}, on the caller and any helper that joins; rethrows a chunk's failure. */
    void run(int chunks, ChunkBody body) {
        Job job = new Job(chunks, helpers.length + 1, body);
        current = job;
        unparkSleeping();
        job.work(0);
        while (job.done.get() < job.chunks) Thread.onSpinWait();
        if (current == job) current = null;
        Throwable t = job.failure.get();
        if (t instanceof RuntimeException e) throw e;
        if (t instanceof Error e) throw e;
        if (t != null) throw new IllegalStateException(t);
    }

    /**
     * Announces a job soon: parked helpers are woken, and idle helpers spin rather than park
     * for the next {@value #WAKE_NANOS} ns (or {@value #SPIN_NANOS} ns after their last chunk,
     * whichever ends later). A caller that first works alone for a while (a sample, a setup)
     * calls this before it, so the tens to hundreds of microseconds a parked helper takes to
     * run again on a virtual machine pass during that stretch, not at the start of the job.
     * The unpark itself costs the caller a system call (16 µs median here, rarely milliseconds)
     * that {@link #run} would otherwise pay.
     */
    void wake() {
        spinUntil = System.nanoTime() + WAKE_NANOS;
        unparkSleeping();
    }

    private void unparkSleeping() {
        for (Helper h : helpers) if (h.sleeping) LockSupport.unpark(h);
    }

    /** The helper threads, for tests. */
    java.util.List<Thread> threads() {
        return java.util.List.of(helpers);
    }

    /** Lets the helpers finish their chunk and end. */
    void stop() {
        stopped = true;
        for (Helper h : helpers) LockSupport.unpark(h);
    }

    /** Whether the calling thread is one of a pool's helpers. */
    static boolean isHelper() {
        return Thread.currentThread() instanceof Helper;
    }

    private static final class Helper extends Thread {
        private final Workers pool;
        /** This helper's thread number in a {@link Job}: 1 + its place in the pool (the caller is 0). */
        private final int index;
        /** Set before parking, cleared after: the caller unparks a helper it sees sleeping. */
        volatile boolean sleeping;

        Helper(Workers pool, int index, String name) {
            super(name);
            this.pool = pool;
            this.index = index;
            setDaemon(true);
        }

        /**
         * Whether an idle helper spins on rather than parks: within {@link Workers#SPIN_NANOS}
         * of its last chunk, or before the deadline of the pool's last {@link Workers#wake}.
         */
        private boolean spins(long idleSince) {
            long now = System.nanoTime();
            return now - idleSince < SPIN_NANOS || now - pool.spinUntil < 0;
        }

        @Override
        public void run() {
            Job seen = null;
            long idleSince = System.nanoTime();
            while (!pool.stopped) {
                Job job = pool.current;
                if (job != null && job != seen) {
                    seen = job;
                    job.work(index);
                    idleSince = System.nanoTime();
                } else if (spins(idleSince)) {
                    Thread.onSpinWait();
                } else {
                    // Dekker with the caller: it writes current (or, in wake, spinUntil), then reads
                    // sleeping; this writes sleeping, then reads both. One of the two sees the other's write.
                    sleeping = true;
                    job = pool.current;
                    if ((job == null || job == seen) && !pool.stopped && !spins(idleSince)) LockSupport.park(this);
                    sleeping = false;
                    idleSince = System.nanoTime();
                }
            }
        }
    }
}
