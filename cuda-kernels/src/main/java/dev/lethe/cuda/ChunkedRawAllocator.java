package dev.lethe.cuda;

import java.util.IdentityHashMap;
import java.util.Map;
import java.util.function.BiFunction;

/**
 * A raw allocator that carves small blocks out of large chunks, so that a cache miss of the
 * {@link CachingAllocator} costs a pointer bump instead of a {@code cuMemAlloc}: on an H200,
 * {@code GpuCheck --perf=costs} measured a miss at 14 µs before this allocator and 3 µs with
 * it, and a training step of a small model misses the cache some twenty to forty times
 * before the first garbage collection hands blocks back.
 *
 * <p>Requests of at most {@link #SMALL} bytes come from the current chunk of {@link #CHUNK}
 * bytes, each at a multiple of {@link #ALIGN} bytes; larger ones go to the underlying
 * allocator as they are. A chunk counts the blocks carved from it that are still out; it goes
 * back to the device when the last of them is freed (so {@link CachingAllocator#emptyCache}
 * still returns memory), and a new chunk starts when the current one is full. So one live
 * small block holds its whole chunk on the device: up to 32 MiB that the caching allocator's
 * counts (in use, cached, the soft limit) do not see. Where no new chunk fits on the device, a
 * small request is tried on its own.
 *
 * @param <H> the handle of one block
 */
final class ChunkedRawAllocator<H> implements RawAllocator<H> {
    /** The largest request carved from a chunk. */
    static final long SMALL = 1L << 20;
    /** Bytes per chunk. */
    static final long CHUNK = 32L << 20;
    /** Blocks start on multiples of this many bytes (what cuMemAlloc guarantees). */
    static final long ALIGN = 256;

    private final RawAllocator<H> base;
    private final BiFunction<H, Long, H> offset;
    private final Map<H, Chunk<H>> carved = new IdentityHashMap<>();
    private Chunk<H> current;

    private static final class Chunk<H> {
        final H start;
        long used;
        int out;

        Chunk(H start) {
            this.start = start;
        }
    }

    /**
     * @param base   where chunks and large blocks come from
     * @param offset the handle {@code bytes} past a handle (a {@code CUdeviceptr.withByteOffset})
     */
    ChunkedRawAllocator(RawAllocator<H> base, BiFunction<H, Long, H> offset) {
        this.base = base;
        this.offset = offset;
    }

    @Override
    public synchronized H allocate(long bytes) {
        if (bytes > SMALL) return base.allocate(bytes);
        long size = (bytes + ALIGN - 1) / ALIGN * ALIGN;
        if (current == null || current.used + size > CHUNK) {
            H start = base.allocate(CHUNK);
            if (start == null) return base.allocate(bytes);
            current = new Chunk<>(start); // the full one goes back with its last block (free)
        }
        H h = offset.apply(current.start, current.used);
        current.used += size;
        current.out++;
        carved.put(h, current);
        return h;
    }

    @Override
    public synchronized void free(H handle) {
        Chunk<H> c = carved.remove(handle);
        if (c == null) {
            base.free(handle);
            return;
        }
        if (--c.out == 0) {
            base.free(c.start);
            if (c == current) current = null;
        }
    }
}
