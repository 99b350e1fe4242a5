package dev.lethe.cuda;

import java.lang.ref.Cleaner;

/**
 * A block of device memory from a {@link CachingAllocator}. {@link #close()} hands it back;
 * a buffer that is never closed is handed back by a {@link Cleaner} once no one can reach it
 * (the safety net: tensors on a GPU are freed this way). Handing back puts the block into the
 * allocator's cache; no CUDA call runs on the Cleaner's thread.
 *
 * @param <H> the raw block handle (a {@code CUdeviceptr} on a GPU)
 */
public final class DeviceBuffer<H> implements AutoCloseable {
    private static final Cleaner CLEANER = Cleaner.create();

    private final CachingAllocator.Block<H> block;
    private final long bytes;
    private final Cleaner.Cleanable cleanable;
    private volatile boolean closed;

    private DeviceBuffer(CachingAllocator<H> allocator, CachingAllocator.Block<H> block, long bytes) {
        this.block = block;
        this.bytes = bytes;
        this.cleanable = CLEANER.register(this, new Release<>(allocator, block));
    }

    /** A buffer of at least {@code bytes} from {@code allocator}. */
    public static <H> DeviceBuffer<H> allocate(CachingAllocator<H> allocator, long bytes) {
        return new DeviceBuffer<>(allocator, allocator.allocate(bytes), bytes);
    }

    /**
     * The raw handle, for a copy or a kernel argument.
     *
     * @throws IllegalStateException after {@link #close()}
     */
    public H handle() {
        if (closed) throw new IllegalStateException("device buffer of " + bytes + " bytes is closed");
        return block.handle();
    }

    /** The bytes asked for. */
    public long bytes() {
        return bytes;
    }

    /** The bytes the block really holds (its size class). */
    public long capacity() {
        return block.bytes();
    }

    public boolean isClosed() {
        return closed;
    }

    /** Hands the block back to the allocator's cache; a second call does nothing. */
    @Override
    public void close() {
        closed = true;
        cleanable.clean();
    }

    /** The cleaning action; holds no reference to the buffer, or it would never become unreachable. */
    private record Release<H>(CachingAllocator<H> allocator, CachingAllocator.Block<H> block) implements Runnable {
        @Override
        public void run() {
            allocator.release(block);
        }
    }
}
