package dev.lethe.cuda;

import jcuda.Pointer;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * A block of native (pageable) host memory per thread, from which {@link CudaContext} queues
 * host-to-device copies of up to {@link #MAX_BYTES} on its stream ({@code cuMemcpyHtoDAsync})
 * instead of copying synchronously.
 *
 * <p>Why: a synchronous {@code cuMemcpyHtoD} runs on the legacy default stream, which first
 * waits for every kernel queued on Lethe's (blocking) stream, so each batch's indices or labels
 * made the host wait for the GPU to drain, step after step. A queued copy is ordered on the
 * stream like a kernel. CUDA's notes on API synchronisation promise no more than that for
 * pageable memory: such a copy "might be synchronous with respect to host", and the driver
 * "may synchronize with the stream" to stage it into pinned memory. Whether the host waits
 * is therefore measured, not assumed ({@code GpuCheck --perf=costs}).
 *
 * <p>Reuse: the driver cannot send pageable memory itself, so it has copied the bytes out when
 * the call returns (as PyTorch's and CuPy's copies from pageable memory rely on), and the
 * block is refilled by the next copy at once. GPU check 22 sends two copies in a row from it
 * behind busy kernels. The bytes go from the Java array through this block rather than
 * straight from the array, because the driver's view of a Java array ends with the JNI call.
 * {@code -Dlethe.cuda.queuedUploads=false} copies synchronously instead.
 */
final class HostStaging {
    /** Copies up to this many bytes are queued through the block; larger ones (whole data sets) stay synchronous. */
    static final int MAX_BYTES = 1 << 22;

    private static final ThreadLocal<HostStaging> BLOCK = ThreadLocal.withInitial(HostStaging::new);

    private final MemorySegment bytes = Arena.ofAuto().allocate(MAX_BYTES, 16);
    private final Pointer pointer = Pointer.to(bytes.asByteBuffer());

    private HostStaging() {}

    /** This thread's block holding {@code src[off .. off+n)} (n·4 ≤ {@link #MAX_BYTES}), valid until this thread's next call. */
    static Pointer floats(float[] src, int off, int n) {
        HostStaging b = BLOCK.get();
        MemorySegment.copy(src, off, b.bytes, ValueLayout.JAVA_FLOAT, 0, n);
        return b.pointer;
    }

    /** This thread's block holding {@code values} (length·4 ≤ {@link #MAX_BYTES}), valid until this thread's next call. */
    static Pointer ints(int[] values) {
        HostStaging b = BLOCK.get();
        MemorySegment.copy(values, 0, b.bytes, ValueLayout.JAVA_INT, 0, values.length);
        return b.pointer;
    }
}
