package dev.lethe.cuda;

import jcuda.Pointer;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * A small block of native (pageable) host memory per thread, from which {@link CudaContext}
 * queues host-to-device copies on its stream ({@code cuMemcpyHtoDAsync}) instead of copying
 * synchronously.
 *
 * <p>Why: a synchronous {@code cuMemcpyHtoD} runs on the legacy default stream, which first
 * waits for every kernel queued on Lethe's (blocking) stream, so each batch's indices or
 * labels made the host wait for the GPU to drain, step after step. A copy queued from
 * pageable memory returns as soon as the driver has staged the bytes (CUDA's API
 * synchronisation rules: no device synchronisation for pageable host-to-device copies), so
 * this block may be refilled by the next copy at once, and the copy still runs in stream order
 * after the kernels before it and before those after it. The bytes come from Java arrays
 * through this block rather than straight from the array: the driver's view of a Java array
 * ends with the JNI call, which an asynchronous copy must not depend on.
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
