package dev.lethe.cuda;

import jcuda.Pointer;
import jcuda.driver.CUdeviceptr;
import jcuda.driver.CUresult;
import jcuda.driver.JCudaDriver;

import java.util.ArrayList;
import java.util.List;

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
    private final List<Pointer> args = new ArrayList<>();
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
        args.add(Pointer.to(p));
        return this;
    }

    /** A pointer argument, or a null pointer for an optional buffer left out. */
    Launch ptrOrNull(CUdeviceptr p) {
        if (p == null) args.add(Pointer.to(new long[] {0}));
        else args.add(Pointer.to(p));
        return this;
    }

    Launch i(int v) {
        args.add(Pointer.to(new int[] {v}));
        return this;
    }

    Launch u(int bits) {
        return i(bits);
    }

    Launch l(long v) {
        args.add(Pointer.to(new long[] {v}));
        return this;
    }

    Launch f(float v) {
        args.add(Pointer.to(new float[] {v}));
        return this;
    }

    /** A {@code Layout} struct passed by value (see {@link Layout#packed()}). */
    Launch layout(Layout l) {
        args.add(Pointer.to(l.packed()));
        return this;
    }

    /** Queues the kernel on the context's stream. */
    void run() {
        context.makeCurrent();
        context.countLaunch();
        int result = JCudaDriver.cuLaunchKernel(context.kernels().function(kernel), gx, gy, gz, block, 1, 1, 0, context.stream(),
                Pointer.to(args.toArray(new Pointer[0])), null);
        // The call's description is built only when it failed: launches are the hot path.
        if (result != CUresult.CUDA_SUCCESS) {
            CudaException.check(result, "cuLaunchKernel(" + kernel.entry() + ", grid [" + gx + ", " + gy + ", " + gz + "], block " + block + ")");
        }
        if (SYNC) CudaException.check(JCudaDriver.cuStreamSynchronize(context.stream()), "cuStreamSynchronize after " + kernel.entry());
    }
}
