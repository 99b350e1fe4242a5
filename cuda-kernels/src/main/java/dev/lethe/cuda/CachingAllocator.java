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
 * <p>When the device is out of memory the allocator frees its cache and retries; then it runs
 * a garbage collection, waits for the {@link java.lang.ref.Cleaner} to hand back buffers no
 * one can reach, and retries again, before it throws {@link DeviceOutOfMemoryException}.
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
    private final TreeMap<Long, ArrayDeque<H>> free = new TreeMap<>();
    private long bytesInUse, bytesCached, blocksInUse, rawAllocations, rawFrees, cacheHits;

    public CachingAllocator(RawAllocator<H> raw) {
        this.raw = raw;
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
        Block<H> b = tryAllocate(size);
        // Unreachable buffers are handed back by the Cleaner thread, which needs this lock:
        // wait for them outside it.
        for (int attempt = 0; b == null && attempt < GC_RETRIES; attempt++) {
            System.gc();
            try {
                Thread.sleep(10L << attempt);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
            b = tryAllocate(size);
        }
        if (b == null) {
            AllocatorStats s = stats();
            throw new DeviceOutOfMemoryException("device out of memory: asked for " + bytes + " bytes (class " + size + "), "
                    + s.bytesInUse() + " bytes in use in " + s.blocksInUse() + " blocks, after emptying the cache and a garbage collection");
        }
        return b;
    }

    private synchronized Block<H> tryAllocate(long size) {
        ArrayDeque<H> list = free.get(size);
        if (list != null && !list.isEmpty()) {
            H h = list.pop();
            bytesCached -= size;
            cacheHits++;
            return handOut(h, size);
        }
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
        return new AllocatorStats(bytesInUse, bytesCached, blocksInUse, rawAllocations, rawFrees, cacheHits);
    }
}
