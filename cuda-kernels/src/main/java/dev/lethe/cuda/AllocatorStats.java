package dev.lethe.cuda;

/**
 * A snapshot of a {@link CachingAllocator}.
 *
 * @param bytesInUse     bytes of the blocks handed out and not yet returned (size-class rounded)
 * @param bytesCached    bytes of the returned blocks kept for reuse
 * @param blocksInUse    blocks handed out and not yet returned
 * @param rawAllocations blocks taken from the device so far
 * @param rawFrees       blocks given back to the device so far
 * @param cacheHits      requests served from the cache
 * @param collections    garbage collections the allocator asked for (soft limit or out of memory)
 */
public record AllocatorStats(long bytesInUse, long bytesCached, long blocksInUse, long rawAllocations, long rawFrees, long cacheHits,
                             long collections) {
    /** Bytes the allocator holds on the device: in use plus cached. */
    public long bytesReserved() {
        return bytesInUse + bytesCached;
    }
}
