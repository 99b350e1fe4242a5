package dev.lethe.cuda;

import dev.lethe.tensor.Tensor;
import jcuda.driver.CUdeviceptr;

/**
 * Top-k selection on a CUDA tensor without sorting ({@code select.cu}): radix select on the
 * float bits. Keys are the values or their magnitudes; −0 and +0 are equal, and ties are kept
 * lowest index first, as tensor-core's {@code dev.lethe.surgery.TopK} keeps them. NaN keys
 * count as the largest here (TopK refuses them).
 */
public final class CudaSelect {
    /** Elements per block when counting and assigning ties. */
    private static final int CHUNK = 4096;

    private CudaSelect() {}

    /** The k-th largest key (k = 1 is the maximum) and how many of the keys equal to it the top k take. */
    public record Threshold(float value, int key, int tiesTaken) {}

    /**
     * The k-th largest of x (or |x|), in four passes of an 8-bit histogram on the GPU.
     *
     * @throws IllegalArgumentException unless 1 ≤ k ≤ x.numel()
     */
    public static Threshold kthLargest(Tensor x, int k, boolean abs) {
        CudaBackend be = DeviceTensors.backend("kthLargest", "x", x);
        int n = x.numel();
        if (k < 1 || k > n) throw new IllegalArgumentException("kthLargest: k = " + k + " is outside [1, " + n + "]");
        CudaContext c = be.context();
        int prefix = 0, mask = 0, rank = k;
        int[] hist = new int[256];
        try (DeviceBuffer<CUdeviceptr> h = DeviceBuffer.allocate(c.allocator(), 256 * Integer.BYTES)) {
            for (int shift = 24; shift >= 0; shift -= 8) {
                c.fill(h.handle(), 0, 256, 0f); // 0f is all zero bits: zero counts
                Launch.of(c, Kernel.RADIX_HISTOGRAM).over(n).ptr(CudaBackend.ptr(x)).i(n).i(abs ? 1 : 0).u(prefix).u(mask).i(shift).ptr(h.handle()).run();
                c.downloadInts(h.handle(), hist);
                int[] pick = pickBucket(hist, rank);
                int d = pick[0];
                rank = pick[1];
                prefix |= d << shift;
                mask |= 0xFF << shift;
            }
        }
        return new Threshold(keyToFloat(prefix), prefix, rank);
    }

    /**
     * A 0/1 mask of x's shape with exactly k ones, at the k largest keys of x (or |x|); among
     * keys equal to the k-th largest, the lowest indices are taken.
     */
    public static Tensor topKMask(Tensor x, int k, boolean abs) {
        CudaBackend be = DeviceTensors.backend("topKMask", "x", x);
        int n = x.numel();
        if (k < 0 || k > n) throw new IllegalArgumentException("topKMask: k = " + k + " is outside [0, " + n + "]");
        Tensor mask = be.zeros(x.shape());
        if (k == 0) return mask;
        Threshold t = kthLargest(x, k, abs);
        CudaContext c = be.context();
        int blocks = (n + CHUNK - 1) / CHUNK;
        int[] ties = new int[blocks];
        try (DeviceBuffer<CUdeviceptr> tb = DeviceBuffer.allocate(c.allocator(), (long) blocks * Integer.BYTES)) {
            Launch.of(c, Kernel.COUNT_TIES).grid(blocks, 1, 1).ptr(CudaBackend.ptr(x)).i(n).i(abs ? 1 : 0).u(t.key()).i(CHUNK).ptr(tb.handle()).run();
            c.downloadInts(tb.handle(), ties);
        }
        int[] base = new int[blocks];
        for (int b = 1; b < blocks; b++) base[b] = base[b - 1] + ties[b - 1];
        try (DeviceBuffer<CUdeviceptr> bb = c.uploadInts(base)) {
            Launch.of(c, Kernel.TOPK_MASK).grid(blocks, 1, 1).ptr(CudaBackend.ptr(x)).ptr(CudaBackend.ptr(mask)).i(n).i(abs ? 1 : 0).u(t.key()).i(CHUNK)
                    .ptr(bb.handle()).u(t.tiesTaken()).run();
        }
        return mask;
    }

    /**
     * The digit whose bucket holds the rank-th largest key (1-based), walking the buckets from
     * 255 down, and the rank within that bucket: {digit, rank}.
     *
     * @throws IllegalStateException if the counts hold fewer than rank keys (a kernel fault)
     */
    static int[] pickBucket(int[] hist, int rank) {
        for (int d = 255; d >= 0; d--) {
            if (rank <= hist[d]) return new int[] {d, rank};
            rank -= hist[d];
        }
        throw new IllegalStateException("radix select: the histogram holds fewer keys than the rank asked for (" + rank + " short)");
    }

    /** The float whose order key (select.cu's order_bits) is {@code key}. */
    static float keyToFloat(int key) {
        int bits = (key & 0x80000000) != 0 ? key & 0x7FFFFFFF : ~key;
        return Float.intBitsToFloat(bits);
    }

    /** order_bits of select.cu, for tests: an unsigned key whose order is the float order. */
    static int floatToKey(float x) {
        int b = Float.floatToRawIntBits(x == 0f ? 0f : x);
        return b < 0 ? ~b : b | 0x80000000;
    }
}
