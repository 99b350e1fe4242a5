package dev.lethe.cuda;

/** A raw allocator over a fixed capacity that hands out numbered blocks, for allocator tests. */
final class FakeRawAllocator implements RawAllocator<Long> {
    private final long capacity;
    long used, allocations, frees;
    private long next;

    FakeRawAllocator(long capacity) {
        this.capacity = capacity;
    }

    @Override
    public synchronized Long allocate(long bytes) {
        if (used + bytes > capacity) return null;
        used += bytes;
        allocations++;
        return next++ * 1_000_000_000L + bytes; // the size rides in the handle, so free() can count it
    }

    @Override
    public synchronized void free(Long handle) {
        used -= handle % 1_000_000_000L;
        frees++;
    }
}
