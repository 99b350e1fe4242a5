package dev.lethe.cuda;

import jcuda.Pointer;
import jcuda.Sizeof;
import jcuda.driver.CUcontext;
import jcuda.driver.CUdevice;
import jcuda.driver.CUdeviceptr;
import jcuda.driver.CUstream;
import jcuda.driver.JCudaDriver;

import java.util.concurrent.atomic.LongAdder;
import java.util.function.Supplier;

/**
 * One GPU as Lethe uses it: the device's primary context, one stream that every kernel and
 * copy runs on (so work is ordered without events), and the {@link CachingAllocator} for its
 * memory. One instance per device, made on first use.
 *
 * <p>The stream is a blocking stream (flags 0): the synchronous host copies, which run on
 * the legacy default stream, wait for the kernels queued before them and hold back those
 * queued after. Downloads are such copies (the host needs the bytes); uploads up to a few MB
 * are queued on the stream itself ({@link HostStaging}), so the host need not wait for the GPU
 * to send a batch's indices.
 */
public final class CudaContext {
    private static final CudaContext[] CONTEXTS = new CudaContext[64];
    /** {@code -Dlethe.cuda.queuedUploads=false}: every upload synchronous, as before session 24 (to measure the difference). */
    private static final boolean QUEUED_UPLOADS = !"false".equals(System.getProperty("lethe.cuda.queuedUploads"));

    private final int ordinal;
    private final CUcontext context = new CUcontext();
    private final CUstream stream = new CUstream();
    private final CachingAllocator<CUdeviceptr> allocator;
    private final ThreadLocal<Boolean> current = ThreadLocal.withInitial(() -> false);
    private final Kernels kernels = new Kernels(this);
    private final LongAdder launches = new LongAdder(), synchronizations = new LongAdder(), uploads = new LongAdder(), downloads = new LongAdder();

    /**
     * What went through this context so far, for the performance checks: kernel launches,
     * stream synchronisations, host-to-device copies (most queued on the stream) and
     * device-to-host copies (each synchronous).
     */
    public record Counters(long launches, long synchronizations, long uploads, long downloads) {
        /** This minus an earlier snapshot. */
        public Counters since(Counters earlier) {
            return new Counters(launches - earlier.launches, synchronizations - earlier.synchronizations, uploads - earlier.uploads,
                    downloads - earlier.downloads);
        }
    }

    /** A snapshot of the {@link Counters}. */
    public Counters counters() {
        return new Counters(launches.sum(), synchronizations.sum(), uploads.sum(), downloads.sum());
    }

    /** Counts one kernel launch ({@link Launch}). */
    void countLaunch() {
        launches.increment();
    }

    private CudaContext(int ordinal) {
        this.ordinal = ordinal;
        CUdevice device = new CUdevice();
        CudaException.check(JCudaDriver.cuDeviceGet(device, ordinal), "cuDeviceGet(" + ordinal + ")");
        CudaException.check(JCudaDriver.cuDevicePrimaryCtxRetain(context, device), "cuDevicePrimaryCtxRetain(" + ordinal + ")");
        makeCurrent();
        CudaException.check(JCudaDriver.cuStreamCreate(stream, 0), "cuStreamCreate");
        allocator = new CachingAllocator<>(new ChunkedRawAllocator<>(new CudaRawAllocator(this), CUdeviceptr::withByteOffset), softLimit());
    }

    /**
     * The allocator's soft limit: {@code -Dlethe.cuda.softLimitMiB}, else an eighth of the
     * device's memory (10 GiB on an 80 GB H100).
     */
    private long softLimit() {
        String mib = System.getProperty("lethe.cuda.softLimitMiB");
        if (mib != null) return Long.parseLong(mib.strip()) << 20;
        return memoryInfo()[1] / 8;
    }

    /**
     * The context of device {@code ordinal}.
     *
     * @throws IllegalStateException "no CUDA device: …" when the probe found none, or the
     *         ordinal is not a device here
     */
    public static synchronized CudaContext of(int ordinal) {
        CudaProbe.require();
        int count = CudaProbe.answer().deviceCount();
        if (ordinal < 0 || ordinal >= count) {
            throw new IllegalStateException("no CUDA device cuda:" + ordinal + ": this machine has " + count + " (cuda:0 … cuda:" + (count - 1) + ")");
        }
        if (CONTEXTS[ordinal] == null) CONTEXTS[ordinal] = new CudaContext(ordinal);
        return CONTEXTS[ordinal];
    }

    /** The device ordinal. */
    public int ordinal() {
        return ordinal;
    }

    /** Makes this context current on the calling thread (once per thread). */
    public void makeCurrent() {
        if (!current.get()) {
            CudaException.check(JCudaDriver.cuCtxSetCurrent(context), "cuCtxSetCurrent(cuda:" + ordinal + ")");
            current.set(true);
        }
    }

    /** The stream all of Lethe's work on this device runs on. */
    public CUstream stream() {
        return stream;
    }

    /** The kernels loaded into this context. */
    Kernels kernels() {
        return kernels;
    }

    public CachingAllocator<CUdeviceptr> allocator() {
        return allocator;
    }

    /** A buffer of {@code floats} float32 values (contents undefined). */
    public DeviceBuffer<CUdeviceptr> allocateFloats(long floats) {
        makeCurrent();
        return DeviceBuffer.allocate(allocator, floats * Sizeof.FLOAT);
    }

    /** Waits for every kernel and copy queued on the stream. */
    public void synchronize() {
        makeCurrent();
        synchronizations.increment();
        CudaException.check(JCudaDriver.cuStreamSynchronize(stream), "cuStreamSynchronize(cuda:" + ordinal + ")");
    }

    /**
     * Copies host {@code src[srcOff .. srcOff+n)} to device floats {@code [dstOff .. dstOff+n)},
     * in stream order: up to {@link HostStaging#MAX_BYTES} queued on the stream without waiting
     * for the GPU, more synchronously. Either way {@code src} may be reused on return.
     */
    public void upload(float[] src, int srcOff, CUdeviceptr dst, long dstOff, int n) {
        if (n == 0) return;
        makeCurrent();
        hostToDevice(dst.withByteOffset(dstOff * Sizeof.FLOAT), (long) n * Sizeof.FLOAT, () -> HostStaging.floats(src, srcOff, n), () -> host(src, srcOff),
                n + " floats");
    }

    /** A fresh buffer holding {@code values} as int32 (indices for a kernel), copied in stream order as {@link #upload}. */
    public DeviceBuffer<CUdeviceptr> uploadInts(int[] values) {
        makeCurrent();
        DeviceBuffer<CUdeviceptr> b = DeviceBuffer.allocate(allocator, (long) Math.max(values.length, 1) * Sizeof.INT);
        if (values.length > 0) {
            hostToDevice(b.handle(), (long) values.length * Sizeof.INT, () -> HostStaging.ints(values), () -> Pointer.to(values), values.length + " ints");
        }
        return b;
    }

    /** Queues {@code bytes} from {@code staged} (a {@link HostStaging} block) on the stream, or copies them from {@code direct} synchronously when too many. */
    private void hostToDevice(CUdeviceptr to, long bytes, Supplier<Pointer> staged, Supplier<Pointer> direct, String what) {
        uploads.increment();
        if (QUEUED_UPLOADS && bytes <= HostStaging.MAX_BYTES) {
            CudaException.check(JCudaDriver.cuMemcpyHtoDAsync(to, staged.get(), bytes, stream), "cuMemcpyHtoDAsync(" + what + ")");
        } else {
            CudaException.check(JCudaDriver.cuMemcpyHtoD(to, direct.get(), bytes), "cuMemcpyHtoD(" + what + ")");
        }
    }

    /** Copies device floats {@code [srcOff .. srcOff+n)} to host {@code dst[dstOff .. dstOff+n)}. */
    public void download(CUdeviceptr src, long srcOff, float[] dst, int dstOff, int n) {
        if (n == 0) return;
        makeCurrent();
        downloads.increment();
        CudaException.check(JCudaDriver.cuMemcpyDtoH(host(dst, dstOff), src.withByteOffset(srcOff * Sizeof.FLOAT), (long) n * Sizeof.FLOAT),
                "cuMemcpyDtoH(" + n + " floats)");
    }

    /** A pointer to {@code a[off]}; the plain array pointer when off is 0 (every caller in Lethe today). */
    private static Pointer host(float[] a, int off) {
        return off == 0 ? Pointer.to(a) : Pointer.to(a).withByteOffset((long) off * Sizeof.FLOAT);
    }

    /** Copies {@code dst.length} int32 values from the device to the host. */
    public void downloadInts(CUdeviceptr src, int[] dst) {
        downloadWords(src, Pointer.to(dst), dst.length, Sizeof.INT, "ints");
    }

    /** Copies {@code dst.length} float64 values from the device to the host. */
    public void downloadDoubles(CUdeviceptr src, double[] dst) {
        downloadWords(src, Pointer.to(dst), dst.length, Sizeof.DOUBLE, "doubles");
    }

    private void downloadWords(CUdeviceptr src, Pointer dst, int count, int size, String what) {
        if (count == 0) return;
        makeCurrent();
        downloads.increment();
        CudaException.check(JCudaDriver.cuMemcpyDtoH(dst, src, (long) count * size), "cuMemcpyDtoH(" + count + " " + what + ")");
    }

    /** Queues a device-to-device copy of {@code n} floats on the stream. */
    public void copy(CUdeviceptr src, long srcOff, CUdeviceptr dst, long dstOff, long n) {
        if (n == 0) return;
        makeCurrent();
        CudaException.check(JCudaDriver.cuMemcpyDtoDAsync(dst.withByteOffset(dstOff * Sizeof.FLOAT), src.withByteOffset(srcOff * Sizeof.FLOAT),
                n * Sizeof.FLOAT, stream), "cuMemcpyDtoDAsync(" + n + " floats)");
    }

    /** Queues setting {@code n} floats from {@code off} to {@code value} on the stream. */
    public void fill(CUdeviceptr dst, long off, long n, float value) {
        if (n == 0) return;
        makeCurrent();
        CudaException.check(JCudaDriver.cuMemsetD32Async(dst.withByteOffset(off * Sizeof.FLOAT), Float.floatToRawIntBits(value), n, stream),
                "cuMemsetD32Async(" + n + " floats)");
    }

    /** {free, total} device memory in bytes, as the driver reports it. */
    public long[] memoryInfo() {
        makeCurrent();
        long[] free = new long[1], total = new long[1];
        CudaException.check(JCudaDriver.cuMemGetInfo(free, total), "cuMemGetInfo");
        return new long[] {free[0], total[0]};
    }
}
