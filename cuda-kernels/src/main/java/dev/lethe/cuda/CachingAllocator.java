package dev.lethe.cuda;

import java.util.ArrayDeque;
import java.util.Map;
import java.util.TreeMap;

/**
 * A caching allocator for device memory: a returned block goes onto the free list of its
 * size class and the next request of that class takes it back, so a training loop that
 * allocates the same shapes every step calls {@code cuMemAlloc} only in its first step.
 *
 * <p>Size classes: 512 bytes at least; above, four classes per power of two (a request of b
 * bytes, 2ᵉ ≤ b &lt; 2ᵉ⁺¹, is rounded up to a multiple of 2ᵉ⁻²), so rounding wastes at most 25%.
 *
 * <p>Tensors are not closed by their users: their buffers come back through a {@link
 * java.lang.ref.Cleaner} once the garbage collector finds them unreachable, and a Java heap
 * with room to spare may not collect for a long time while the device fills. So past a soft
 * limit of reserved bytes a cache miss first asks for a collection and looks in the cache
 * again; if the live set really is that large, the limit moves up to twice the bytes in use,
 * so the next collection comes only after as much again.
 *
 * <p>When the device is out of memory the allocator frees its cache and retries; then it runs
 * a garbage collection, waits for the Cleaner to hand back buffers no one can reach, and
 * retries again, before it throws {@link DeviceOutOfMemoryException}.
 *
 * <p>Thread-safe: buffers come back from the Cleaner's thread. Blocks are reused in stream
 * order, which is safe while all work runs on one stream: a kernel queued later cannot start
 * before the kernels that used the block earlier finished.
 *
 * @param <H> the raw block handle
 */
public final class CachingAllocator<H> {
    /** One block: its handle and its (size-class) length in bytes. */
    public record Block<H>(H handle, long bytes) {}

    private static final int GC_RETRIES = 3;

    private final RawAllocator<H> raw;
    private final long initialSoftLimit;
    private final TreeMap<Long, ArrayDeque<H>> free = new TreeMap<>();
    private long softLimit;
    private long bytesInUse, bytesCached, blocksInUse, rawAllocations, rawFrees, cacheHits, collections;

    /** An allocator without a soft limit (collections only when the device is full). */
    public CachingAllocator(RawAllocator<H> raw) {
        this(raw, Long.MAX_VALUE);
    }

    /** An allocator that asks for a garbage collection on a cache miss past {@code softLimit} reserved bytes. */
    public CachingAllocator(RawAllocator<H> raw, long softLimit) {
        this.raw = raw;
        this.initialSoftLimit = softLimit;
        this.softLimit = softLimit;
    }

    /** The size class of a request: what a block for {@code bytes} really holds. */
    public static long sizeClass(long bytes) {
        if (bytes < 0) throw new IllegalArgumentException("sizeClass: negative size " + bytes);
        if (bytes <= 512) return 512;
        long step = Long.highestOneBit(bytes) >> 2;
        return (bytes + step - 1) / step * step;
    }

    /**
     * A block of at least {@code bytes}.
     *
     * @throws DeviceOutOfMemoryException if the device has none, even after freeing the cache
     *         and collecting unreachable buffers
     */
    public Block<H> allocate(long bytes) {
        long size = sizeClass(bytes);
        Block<H> b = fromCache(size);
        if (b == null && overSoftLimit(size)) {
            b = collectFor(size, 50);
            if (b == null) raiseSoftLimit();
        }
        if (b == null) b = tryAllocate(size);
        // Unreachable buffers are handed back by the Cleaner thread, which needs this lock:
        // wait for them outside it.
        for (int attempt = 0; b == null && attempt < GC_RETRIES; attempt++) {
            b = collectFor(size, 10L << attempt);
            if (b == null) b = tryAllocate(size);
        }
        if (b == null) {
            AllocatorStats s = stats();
            throw new DeviceOutOfMemoryException("device out of memory: asked for " + bytes + " bytes (class " + size + "), "
                    + s.bytesInUse() + " bytes in use in " + s.blocksInUse() + " blocks, after emptying the cache and a garbage collection");
        }
        return b;
    }

    /**
     * A garbage collection, then up to {@code millis} of waiting for the Cleaner to hand back a
     * block of this size class; the block, or null. Called without the lock, which the
     * Cleaner's thread needs.
     */
    private Block<H> collectFor(long size, long millis) {
        synchronized (this) {
            collections++;
        }
        System.gc();
        long deadline = System.nanoTime() + millis * 1_000_000;
        do {
            Block<H> b = fromCache(size);
            if (b != null) return b;
            try {
                Thread.sleep(1);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return null;
            }
        } while (System.nanoTime() < deadline);
        return fromCache(size);
    }

    private synchronized boolean overSoftLimit(long size) {
        return bytesInUse + bytesCached + size > softLimit;
    }

    private synchronized void raiseSoftLimit() {
        softLimit = Math.max(initialSoftLimit, 2 * bytesInUse);
    }

    /** A cached block of this size class, or null. */
    private synchronized Block<H> fromCache(long size) {
        ArrayDeque<H> list = free.get(size);
        if (list == null || list.isEmpty()) return null;
        H h = list.pop();
        bytesCached -= size;
        cacheHits++;
        return handOut(h, size);
    }

    private synchronized Block<H> tryAllocate(long size) {
        Block<H> cached = fromCache(size);
        if (cached != null) return cached;
        H h = raw.allocate(size);
        if (h == null && bytesCached > 0) {
            emptyCache();
            h = raw.allocate(size);
        }
        if (h == null) return null;
        rawAllocations++;
        return handOut(h, size);
    }

    private Block<H> handOut(H h, long size) {
        bytesInUse += size;
        blocksInUse++;
        return new Block<>(h, size);
    }

    /** Takes a block back into the cache. Called once per block, by its {@link DeviceBuffer}. */
    synchronized void release(Block<H> b) {
        free.computeIfAbsent(b.bytes(), k -> new ArrayDeque<>()).push(b.handle());
        bytesInUse -= b.bytes();
        blocksInUse--;
        bytesCached += b.bytes();
    }

    /** Gives every cached block back to the device. */
    public synchronized void emptyCache() {
        for (Map.Entry<Long, ArrayDeque<H>> e : free.entrySet()) {
            for (H h : e.getValue()) {
                raw.free(h);
                rawFrees++;
                bytesCached -= e.getKey();
            }
        }
        free.clear();
    }

    public synchronized AllocatorStats stats() {
        return new AllocatorStats(bytesInUse, bytesCached, blocksInUse, rawAllocations, rawFrees, cacheHits, collections);
    }

    /** The current soft limit on reserved bytes. */
    public synchronized long softLimit() {
        return softLimit;
    }
}
