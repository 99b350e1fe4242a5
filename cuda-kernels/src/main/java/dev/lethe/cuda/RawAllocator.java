package dev.lethe.cuda;

/**
 * Where a {@link CachingAllocator} gets memory when its cache has none: on a GPU,
 * {@code cuMemAlloc}/{@code cuMemFree}; in tests, a counter.
 *
 * @param <H> the handle of one block (a {@code CUdeviceptr} on a GPU)
 */
public interface RawAllocator<H> {
    /** A fresh block of exactly {@code bytes}, or null when the device is out of memory. */
    H allocate(long bytes);

    /** Returns a block that {@link #allocate} gave. */
    void free(H handle);
}
