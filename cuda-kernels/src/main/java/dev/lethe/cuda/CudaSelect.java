package dev.lethe.cuda;

import dev.lethe.tensor.Tensor;
import jcuda.driver.CUdeviceptr;

import java.util.Arrays;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Top-k selection on a CUDA tensor without sorting ({@code select.cu}): radix select on the
 * float bits. Keys are the values or their magnitudes; −0 and +0 are equal, and ties are kept
 * lowest index first, as tensor-core's {@code dev.lethe.surgery.TopK} keeps them. NaN keys
 * count as the largest here (TopK refuses them).
 *
 * <p>A mask of many keys ({@link #SAMPLED_MIN} or more) starts from a sample, as tensor-core's
 * {@code SampledSelect} does on the CPU: {@link #SAMPLE} evenly spaced keys, sorted on the host,
 * bracket the threshold τ with [lo, hi] wide enough (4 standard deviations of the sample's rank
 * count each side) that τ falls outside it only rarely. One pass then reads every key once and
 * writes the whole mask: 1 above hi, 0 below lo, and the few keys inside the bracket are
 * gathered (value and index); the radix select runs on those only, and one small pass marks
 * the kept ones. If τ fell outside the bracket, a block gathered too many, or τ's ties must be
 * split by index (some kept, some not), the radix path below writes the mask instead: the same
 * mask either way. The radix path reads the keys six times (four histograms, the tie count and
 * the mask); the sampled path once, plus the candidates.
 */
public final class CudaSelect {
    /** Elements per block when counting and assigning ties. */
    private static final int CHUNK = 4096;
    /** From this many keys {@link #topKMask} brackets τ with a sample first. */
    public static final int SAMPLED_MIN = 1 << 16;
    /** Keys in the sample. */
    public static final int SAMPLE = 4096;
    /** Added to the expected candidate count when sizing the candidate buffers. */
    private static final long SLACK = 4096;

    private static final AtomicLong SAMPLED = new AtomicLong();

    private CudaSelect() {}

    /**
     * The k-th largest key (k = 1 is the maximum), how many of the keys equal to it the top k
     * take, and how many keys equal it in all.
     */
    public record Threshold(float value, int key, int tiesTaken, int ties) {}

    /**
     * The k-th largest of x (or |x|), in four passes of an 8-bit histogram on the GPU.
     *
     * @throws IllegalArgumentException unless 1 ≤ k ≤ x.numel()
     */
    public static Threshold kthLargest(Tensor x, int k, boolean abs) {
        CudaBackend be = DeviceTensors.backend("kthLargest", "x", x);
        int n = x.numel();
        if (k < 1 || k > n) throw new IllegalArgumentException("kthLargest: k = " + k + " is outside [1, " + n + "]");
        return kthLargest(be.context(), CudaBackend.ptr(x), n, k, abs);
    }

    /** {@link #kthLargest(Tensor, int, boolean)} of the n floats at x. */
    private static Threshold kthLargest(CudaContext c, CUdeviceptr x, int n, int k, boolean abs) {
        int prefix = 0, mask = 0, rank = k, ties = 0;
        int[] hist = new int[256];
        try (DeviceBuffer<CUdeviceptr> h = DeviceBuffer.allocate(c.allocator(), 256 * Integer.BYTES)) {
            for (int shift = 24; shift >= 0; shift -= 8) {
                c.fill(h.handle(), 0, 256, 0f); // 0f is all zero bits: zero counts
                Launch.of(c, Kernel.RADIX_HISTOGRAM).over(n).ptr(x).i(n).i(abs ? 1 : 0).u(prefix).u(mask).i(shift).ptr(h.handle()).run();
                c.downloadInts(h.handle(), hist);
                int[] pick = pickBucket(hist, rank);
                int d = pick[0];
                rank = pick[1];
                ties = hist[d]; // after the last digit: the keys equal to the threshold
                prefix |= d << shift;
                mask |= 0xFF << shift;
            }
        }
        return new Threshold(keyToFloat(prefix), prefix, rank, ties);
    }

    /**
     * A 0/1 mask of x's shape with exactly k ones, at the k largest keys of x (or |x|); among
     * keys equal to the k-th largest, the lowest indices are taken.
     */
    public static Tensor topKMask(Tensor x, int k, boolean abs) {
        CudaBackend be = DeviceTensors.backend("topKMask", "x", x);
        int n = x.numel();
        if (k < 0 || k > n) throw new IllegalArgumentException("topKMask: k = " + k + " is outside [0, " + n + "]");
        if (k == 0) return be.zeros(x.shape());
        Tensor mask = be.empty(x.shape()); // both paths write every element
        CudaContext c = be.context();
        if (n >= SAMPLED_MIN && sampledMask(c, CudaBackend.ptr(x), n, k, abs, CudaBackend.ptr(mask))) {
            SAMPLED.incrementAndGet();
            return mask;
        }
        Threshold t = kthLargest(c, CudaBackend.ptr(x), n, k, abs);
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

    /** How many {@link #topKMask} calls so far took the sampled path (for checks and benchmarks). */
    public static long sampledMasks() {
        return SAMPLED.get();
    }

    /**
     * Writes the top-k mask of the n keys at x into {@code mask} through a sampled bracket (see
     * the class comment); false if the bracket missed or τ's ties must be split, and then the
     * mask holds no meaning yet.
     */
    private static boolean sampledMask(CudaContext c, CUdeviceptr x, int n, int k, boolean abs, CUdeviceptr mask) {
        int[] sample = new int[SAMPLE];
        try (DeviceBuffer<CUdeviceptr> keys = DeviceBuffer.allocate(c.allocator(), (long) SAMPLE * Integer.BYTES)) {
            Launch.of(c, Kernel.SAMPLE_KEYS).over(SAMPLE).ptr(x).l(n / SAMPLE).i(SAMPLE).i(abs ? 1 : 0).ptr(keys.handle()).run();
            c.downloadInts(keys.handle(), sample);
        }
        Bracket b = bracket(sample, n, k);
        int[] counts = new int[3];
        try (DeviceBuffer<CUdeviceptr> values = DeviceBuffer.allocate(c.allocator(), (long) b.capacity() * Float.BYTES);
             DeviceBuffer<CUdeviceptr> index = DeviceBuffer.allocate(c.allocator(), (long) b.capacity() * Integer.BYTES);
             DeviceBuffer<CUdeviceptr> counters = DeviceBuffer.allocate(c.allocator(), 3 * Integer.BYTES)) {
            c.fill(counters.handle(), 0, 3, 0f);
            Launch.of(c, Kernel.BRACKET_MASK).over(n).ptr(x).ptr(mask).i(n).i(abs ? 1 : 0).u(b.lo()).u(b.hi()).ptr(values.handle()).ptr(index.handle())
                    .i(b.capacity()).ptr(counters.handle()).run();
            c.downloadInts(counters.handle(), counts);
            long above = Integer.toUnsignedLong(counts[0]), candidates = Integer.toUnsignedLong(counts[1]);
            if (counts[2] != 0 || candidates > b.capacity() || above >= k || above + candidates < k) return false;
            Threshold t = kthLargest(c, values.handle(), (int) candidates, (int) (k - above), false);
            if (t.tiesTaken() != t.ties()) return false;
            Launch.of(c, Kernel.MARK_CANDIDATES).over(candidates).ptr(mask).ptr(values.handle()).ptr(index.handle()).i((int) candidates).u(t.key()).run();
            return true;
        }
    }

    /**
     * Keys above {@code hi} (unsigned) are surely among the top k, keys below {@code lo} surely
     * not; {@code capacity} candidates fit the buffers (twice the expected count, plus slack).
     */
    record Bracket(int lo, int hi, int capacity) {}

    /**
     * The bracket around the k-th largest of n keys from an evenly spaced sample of their order
     * keys (sorted here): τ's rank from the top in the sample is about k·s/n, with a binomial
     * spread of √(s·p(1 − p)), p = k/n; the bracket reaches 4 of those (and 8 keys) each side.
     */
    static Bracket bracket(int[] sample, int n, int k) {
        int s = sample.length;
        int[] sorted = new int[s];
        for (int i = 0; i < s; i++) sorted[i] = sample[i] ^ 0x80000000; // unsigned order as signed
        Arrays.sort(sorted);
        double p = (double) k / n, expected = p * s;
        int margin = (int) Math.ceil(4 * Math.sqrt(s * p * (1 - p))) + 8;
        int hiRank = (int) Math.floor(expected) - margin, loRank = (int) Math.ceil(expected) + margin; // 1 = the largest
        int hi = hiRank < 1 ? -1 : sorted[s - hiRank] ^ 0x80000000;
        int lo = loRank > s ? 0 : sorted[s - loRank] ^ 0x80000000;
        long expectedCandidates = (long) Math.ceil((Math.min(loRank, s) - Math.max(hiRank, 1) + 1) * (double) n / s);
        return new Bracket(lo, hi, (int) Math.min(n, 2 * expectedCandidates + SLACK));
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
