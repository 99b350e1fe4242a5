package dev.lethe.cuda;

import jcuda.Pointer;
import jcuda.driver.CUdeviceptr;
import jcuda.driver.CUresult;
import jcuda.driver.JCudaDriver;

import java.util.Arrays;

/**
 * One kernel launch on a context's stream: the grid, then the arguments in the order of the
 * kernel's C signature, then {@link #run()}.
 *
 * <p>Kernel faults surface at the next synchronising call, which cannot know which kernel
 * failed; with {@code -Dlethe.cuda.sync=true} every launch synchronises and a fault names its
 * kernel (slow; for debugging).
 */
final class Launch {
    /** Threads per block for the one-dimensional kernels. */
    static final int THREADS = 256;
    /** Grid-stride loops cover any size; more blocks than this add nothing. */
    private static final long MAX_BLOCKS = 1 << 16;
    private static final boolean SYNC = Boolean.getBoolean("lethe.cuda.sync");

    private final CudaContext context;
    private final Kernel kernel;
    /** Argument values, 8-byte slots in {@link KernelArguments}' form; argument k starts at slot starts[k]. */
    private long[] slots = new long[16];
    private int used;
    private int[] starts = new int[12];
    private int count;
    private int gx = 1, gy = 1, gz = 1, block = THREADS;

    private Launch(CudaContext context, Kernel kernel) {
        this.context = context;
        this.kernel = kernel;
    }

    static Launch of(CudaContext context, Kernel kernel) {
        return new Launch(context, kernel);
    }

    /** Blocks of {@link #THREADS} for {@code work} items, one item per thread, capped (grid-stride kernels). */
    static int blocksFor(long work) {
        return (int) Math.max(1, Math.min((work + THREADS - 1) / THREADS, MAX_BLOCKS));
    }

    /** A one-dimensional grid of enough blocks for {@code work} items. */
    Launch over(long work) {
        gx = blocksFor(work);
        return this;
    }

    Launch grid(int x, int y, int z) {
        gx = x;
        gy = y;
        gz = z;
        return this;
    }

    Launch block(int threads) {
        block = threads;
        return this;
    }

    Launch ptr(CUdeviceptr p) {
        return slot(DevicePointer.addressOf(p));
    }

    /** A pointer argument, or a null pointer for an optional buffer left out. */
    Launch ptrOrNull(CUdeviceptr p) {
        return slot(p == null ? 0 : DevicePointer.addressOf(p));
    }

    Launch i(int v) {
        return slot(Integer.toUnsignedLong(v));
    }

    Launch u(int bits) {
        return i(bits);
    }

    Launch l(long v) {
        return slot(v);
    }

    Launch f(float v) {
        return i(Float.floatToRawIntBits(v));
    }

    /** A {@code Layout} struct passed by value (see {@link Layout#packed()}): its ints two to a slot. */
    Launch layout(Layout l) {
        int[] words = l.packed();
        int n = (words.length + 1) / 2;
        argument(n);
        for (int w = 0; w < words.length; w += 2) {
            long high = w + 1 < words.length ? (long) words[w + 1] << 32 : 0;
            slots[used++] = Integer.toUnsignedLong(words[w]) | high;
        }
        return this;
    }

    /** An argument of one 8-byte slot. */
    private Launch slot(long value) {
        argument(1);
        slots[used++] = value;
        return this;
    }

    /** Starts an argument of {@code n} slots at the next free one. */
    private void argument(int n) {
        if (count == starts.length) starts = Arrays.copyOf(starts, 2 * count);
        if (used + n > slots.length) slots = Arrays.copyOf(slots, Math.max(2 * slots.length, used + n));
        starts[count++] = used;
    }

    /** The arguments written into this thread's {@link KernelArguments} block, as {@link #run()} passes them. */
    Pointer arguments() {
        return KernelArguments.fill(slots, used, starts, count);
    }

    /** Queues the kernel on the context's stream. */
    void run() {
        context.makeCurrent();
        context.countLaunch();
        int result = JCudaDriver.cuLaunchKernel(context.kernels().function(kernel), gx, gy, gz, block, 1, 1, 0, context.stream(),
                arguments(), null);
        // The call's description is built only when it failed: launches are the hot path.
        if (result != CUresult.CUDA_SUCCESS) {
            CudaException.check(result, "cuLaunchKernel(" + kernel.entry() + ", grid [" + gx + ", " + gy + ", " + gz + "], block " + block + ")");
        }
        if (SYNC) CudaException.check(JCudaDriver.cuStreamSynchronize(context.stream()), "cuStreamSynchronize after " + kernel.entry());
    }
}
