package dev.lethe.cpu;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@link Parallel#forChunks} on its spinning helpers ({@link Workers}). */
class ParallelTest {
    private int savedThreads;

    @BeforeEach
    void saveThreads() {
        savedThreads = Parallel.threads();
        Parallel.setThreads(3);
    }

    @AfterEach
    void restoreThreads() {
        Parallel.setThreads(savedThreads);
    }

    @Test
    void everyChunkRunsOnceInManyBackToBackCalls() {
        for (int call = 0; call < 2000; call++) {
            int n = 1 + call % 37, grain = 1 + call % 5;
            int[] runs = new int[n];
            Parallel.forChunks(n, grain, (s, e) -> {
                for (int i = s; i < e; i++) runs[i]++;
            });
            assertArrayEquals(once(n), runs, "call " + call + " (n " + n + ", grain " + grain + ")");
        }
    }

    @Test
    void eachThreadStartsOnItsOwnBlockOfChunks() {
        // Each thread's first chunk waits until all three have one, so none can finish its own
        // block first and go on to take the start of another's.
        CountDownLatch allStarted = new CountDownLatch(3);
        java.util.Map<String, Integer> first = new java.util.concurrent.ConcurrentHashMap<>();
        Parallel.forChunks(30, 1, (s, e) -> {
            if (first.putIfAbsent(Thread.currentThread().getName(), s) == null) {
                allStarted.countDown();
                try {
                    assertTrue(allStarted.await(10, java.util.concurrent.TimeUnit.SECONDS), "not every thread took a chunk: " + first);
                } catch (InterruptedException ex) {
                    throw new IllegalStateException(ex);
                }
            }
        });
        assertEquals(java.util.Map.of(Thread.currentThread().getName(), 0, "lethe-worker-0", 10, "lethe-worker-1", 20), first);
    }

    @Test
    void parkedHelpersWakeAndTakeChunks() throws Exception {
        // Long enough idle for every helper to park; then the caller holds chunk 0 until a
        // helper has run one, so the call finishes only if a parked helper is woken.
        Thread.sleep(100 * Workers.SPIN_NANOS / 1_000_000);
        CountDownLatch helped = new CountDownLatch(1);
        AtomicInteger onHelpers = new AtomicInteger();
        Parallel.forChunks(64, 1, (s, e) -> {
            if (Workers.isHelper()) {
                onHelpers.incrementAndGet();
                helped.countDown();
            } else if (s == 0) {
                try {
                    assertTrue(helped.await(10, java.util.concurrent.TimeUnit.SECONDS), "no helper woke");
                } catch (InterruptedException ex) {
                    throw new IllegalStateException(ex);
                }
            }
        });
        assertTrue(onHelpers.get() >= 1, "no chunk ran on a helper");
    }

    @Test
    void wakeRunsParkedHelpersUntilItsSpinEndsThenTheyParkAgain() throws Exception {
        // Parked helpers are WAITING. Woken, they spin with no job (RUNNABLE); the poll wakes
        // them again and again, as an unpark alone can take milliseconds on a virtual machine,
        // longer than the spin it starts. Once the wakes stop, they park again.
        Thread.sleep(100 * Workers.SPIN_NANOS / 1_000_000);
        List<Thread> helpers = Parallel.helpers();
        assertEquals(2, helpers.size());
        assertTrue(await(() -> allParked(helpers)), "helpers did not park while idle");
        assertTrue(await(() -> {
            Parallel.wake();
            return helpers.stream().anyMatch(t -> t.getState() == Thread.State.RUNNABLE);
        }), "no parked helper woke");
        assertTrue(await(() -> allParked(helpers)), "woken helpers did not park again");
    }

    @Test
    void wakeWithOneThreadDoesNothingAndCallsStillRunEveryChunk() {
        Parallel.setThreads(1);
        Parallel.wake();
        int[] runs = new int[9];
        Parallel.forChunks(9, 2, (s, e) -> {
            for (int i = s; i < e; i++) runs[i]++;
        });
        assertArrayEquals(once(9), runs);
    }

    /** n ones: every chunk run once. */
    private static int[] once(int n) {
        int[] ones = new int[n];
        Arrays.fill(ones, 1);
        return ones;
    }

    private static boolean allParked(List<Thread> helpers) {
        return helpers.stream().allMatch(t -> t.getState() == Thread.State.WAITING);
    }

    /** Polls {@code condition} for up to 10 s. */
    private static boolean await(BooleanSupplier condition) {
        long end = System.nanoTime() + 10_000_000_000L;
        while (System.nanoTime() < end) {
            if (condition.getAsBoolean()) return true;
            Thread.onSpinWait();
        }
        return false;
    }

    @Test
    void aChunksFailureReachesTheCallerAfterTheOtherChunks() {
        AtomicInteger done = new AtomicInteger();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () ->
                Parallel.forChunks(100, 1, (s, end) -> {
                    if (s == 57) throw new IllegalArgumentException("chunk 57");
                    done.incrementAndGet();
                }));
        assertEquals("chunk 57", e.getMessage());
        assertEquals(99, done.get());
        // The pool still works afterwards.
        int[] sum = new int[1];
        Parallel.forChunks(10, 1, (s, end) -> {
            synchronized (sum) {
                sum[0] += s;
            }
        });
        assertEquals(45, sum[0]);
    }

    @Test
    void aCallFromInsideAChunkRunsOnItsThread() {
        var outer = new AtomicInteger();
        Parallel.forChunks(8, 1, (s, e) -> {
            Thread me = Thread.currentThread();
            Parallel.forChunks(5, 1, (s2, e2) -> {
                if (Thread.currentThread() != me) throw new AssertionError("nested chunk moved threads");
            });
            outer.incrementAndGet();
        });
        assertEquals(8, outer.get());
    }

    @Test
    void twoCallersAtOnceBothFinishWithEveryChunkOnce() throws Exception {
        int[][] runs = new int[2][25];
        Thread[] callers = new Thread[2];
        Throwable[] failed = new Throwable[2];
        for (int t = 0; t < 2; t++) {
            int me = t;
            callers[t] = new Thread(() -> {
                try {
                    for (int call = 0; call < 200; call++) {
                        Parallel.forChunks(25, 1, (s, e) -> {
                            synchronized (runs[me]) {
                                runs[me][s]++;
                            }
                        });
                    }
                } catch (Throwable ex) {
                    failed[me] = ex;
                }
            });
            callers[t].start();
        }
        for (Thread c : callers) c.join(60_000);
        for (int t = 0; t < 2; t++) {
            assertEquals(null, failed[t]);
            for (int i = 0; i < 25; i++) assertEquals(200, runs[t][i], "caller " + t + " chunk " + i);
        }
    }
}
