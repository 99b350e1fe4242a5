package dev.lethe.surgery;

import dev.lethe.cpu.Simd;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

import java.util.Arrays;

/**
 * The k-th largest float of a flattened list by radix select on order-preserving 32-bit keys,
 * and the mask pass that follows it.
 *
 * <p><b>Keys.</b> Each score maps to an unsigned int whose order is the score order:
 * magnitude: {@code bits << 1} (the sign bit dropped, so −x and x share a key); value:
 * {@code bits ^ (bits < 0 ? 0xFFFFFFFF : 0x80000000)} of {@code x + 0f} (which turns −0 into
 * +0). NaN keys lie above +∞ (and, for signed NaN, below −∞), so the extreme first-level
 * buckets reveal whether a NaN may be present.
 *
 * <p><b>Select.</b> Three digits of 12, 10 and 10 bits, from the top. Level 1 histograms the
 * top 12 bits of every key and walks the buckets from the largest until k is reached: that
 * bucket holds the threshold. Once a bucket holds at most {@link #collectLimit} entries its
 * keys are gathered into an array and the remaining digits are histogrammed there; a huge
 * bucket (many equal scores) is refined by further passes over the data instead, so memory
 * stays bounded. Counts are integers, so merging per-chunk histograms in any order gives the
 * same result whatever the thread count.
 */
final class RadixSelect {
    private static final VectorSpecies<Float> F = Simd.F;
    private static final int[] SHIFT = {20, 10, 0};
    private static final int[] BITS = {12, 10, 10};
    /** Flattened elements per chunk of the histogram and collect passes. */
    static final int HIST_GRAIN = 1 << 18;
    /** Flattened elements per chunk of the mask pass (its tie counts are kept per chunk). */
    static final int MASK_GRAIN = 1 << 16;

    private RadixSelect() {}

    /** The order-preserving unsigned key of score {@code x}. */
    static int key(float x, boolean magnitude) {
        if (magnitude) return Float.floatToRawIntBits(x) << 1;
        int b = Float.floatToRawIntBits(x + 0f);
        return b ^ ((b >> 31) | 0x80000000);
    }

    /** The score (|x| for magnitude) whose key is {@code key}. */
    static float value(int key, boolean magnitude) {
        if (magnitude) return Float.intBitsToFloat(key >>> 1);
        return Float.intBitsToFloat(key < 0 ? key ^ 0x80000000 : ~key);
    }

    /** Most keys gathered into memory at once: n/16, at least 2^20. */
    static long collectLimit(long n) {
        return Math.max(1 << 20, n / 16);
    }

    /** The selection for 1 ≤ k ≤ n. */
    static TopK.Selection select(FlatList s, long k, boolean magnitude) {
        long need = k, above = 0;
        int prefixMask = 0, prefix = 0;
        int[] keys = null;
        long[] h = null;
        int digit = 0;
        for (int level = 0; level < SHIFT.length; level++) {
            int shift = SHIFT[level], bits = BITS[level];
            h = keys == null ? histogram(s, magnitude, prefixMask, prefix, shift, bits) : histogram(keys, prefixMask, prefix, shift, bits);
            if (level == 0 && mayHoldNaN(h, magnitude)) requireNoNaN("top-k", s);
            digit = h.length - 1;
            long cum = 0;
            while (cum + h[digit] < need) cum += h[digit--];
            above += cum;
            need -= cum;
            prefixMask |= ((1 << bits) - 1) << shift;
            prefix |= digit << shift;
            if (keys == null && level + 1 < SHIFT.length && h[digit] <= collectLimit(s.total)) keys = collect(s, magnitude, prefixMask, prefix);
        }
        return new TopK.Selection(value(prefix, magnitude), above, need);
    }

    /** Whether a first-level histogram has entries in the buckets where NaN keys fall. */
    private static boolean mayHoldNaN(long[] h, boolean magnitude) {
        // Magnitude: +∞ is 0xFF000000, NaN above it (bucket 0xFF0 up). Value: +NaN above
        // +∞ = 0xFF800000 (bucket 0xFF8 up), −NaN below −∞ = 0x007FFFFF (bucket 0x007 down).
        int hiFrom = magnitude ? 0xFF0 : 0xFF8;
        for (int d = hiFrom; d < h.length; d++) if (h[d] != 0) return true;
        if (!magnitude) for (int d = 0; d <= 0x007; d++) if (h[d] != 0) return true;
        return false;
    }

    /**
     * @throws IllegalArgumentException naming the first NaN in flattened order
     */
    static void requireNoNaN(String op, FlatList s) {
        for (int t = 0; t < s.size(); t++) {
            float[] a = s.arrays[t];
            int o = s.offsets[t];
            for (int i = 0; i < s.lengths[t]; i++) {
                if (Float.isNaN(a[o + i])) {
                    throw new IllegalArgumentException(op + ": scores tensor " + s.index(t) + " element " + i + " is NaN; scores must be numbers (±∞ is allowed)");
                }
            }
        }
    }

    /** Counts, per digit {@code (key >>> shift) & (2^bits − 1)}, the keys with {@code (key & prefixMask) == prefix}. */
    private static long[] histogram(FlatList s, boolean magnitude, int prefixMask, int prefix, int shift, int bits) {
        long[] total = new long[1 << bits];
        int digitMask = (1 << bits) - 1;
        s.forPieces(HIST_GRAIN, (chunk, t, from, to) -> {
            int[] h = new int[1 << bits];
            float[] a = s.arrays[t];
            int o = s.offsets[t];
            if (prefixMask == 0) {
                for (int i = from; i < to; i++) h[(key(a[o + i], magnitude) >>> shift) & digitMask]++;
            } else {
                for (int i = from; i < to; i++) {
                    int key = key(a[o + i], magnitude);
                    if ((key & prefixMask) == prefix) h[(key >>> shift) & digitMask]++;
                }
            }
            synchronized (total) {
                for (int d = 0; d < h.length; d++) total[d] += h[d];
            }
        });
        return total;
    }

    private static long[] histogram(int[] keys, int prefixMask, int prefix, int shift, int bits) {
        long[] h = new long[1 << bits];
        int digitMask = (1 << bits) - 1;
        for (int key : keys) if ((key & prefixMask) == prefix) h[(key >>> shift) & digitMask]++;
        return h;
    }

    /** The keys with {@code (key & prefixMask) == prefix}, gathered chunk by chunk. */
    private static int[] collect(FlatList s, boolean magnitude, int prefixMask, int prefix) {
        int chunks = s.chunkCount(HIST_GRAIN);
        int[][] found = new int[chunks][];
        int[] counts = new int[chunks];
        s.forPieces(HIST_GRAIN, (chunk, t, from, to) -> {
            int[] buf = found[chunk] == null ? new int[64] : found[chunk];
            int n = counts[chunk];
            float[] a = s.arrays[t];
            int o = s.offsets[t];
            for (int i = from; i < to; i++) {
                int key = key(a[o + i], magnitude);
                if ((key & prefixMask) == prefix) {
                    if (n == buf.length) buf = Arrays.copyOf(buf, 2 * n);
                    buf[n++] = key;
                }
            }
            found[chunk] = buf;
            counts[chunk] = n;
        });
        int total = 0;
        for (int c : counts) total += c;
        int[] keys = new int[total];
        int at = 0;
        for (int c = 0; c < chunks; c++) {
            System.arraycopy(found[c], 0, keys, at, counts[c]);
            at += counts[c];
        }
        return keys;
    }

    /**
     * Writes m = [score ≥ τ] over the flattened list, then, if more τ-equal entries exist than
     * {@code sel.tiesKept()}, clears the later ones in flattened order.
     */
    static void writeMask(FlatList s, FlatList m, TopK.Selection sel, boolean magnitude) {
        float tau = sel.threshold();
        int chunks = s.chunkCount(MASK_GRAIN);
        long[] equal = new long[chunks];
        s.forPieces(MASK_GRAIN, (chunk, t, from, to) ->
                equal[chunk] += maskPiece(s.arrays[t], s.offsets[t] + from, m.arrays[t], m.offsets[t] + from, to - from, tau, magnitude));
        // Chunk c keeps its first keep[c] τ-equal entries: the quota is handed out in chunk order.
        long quota = sel.tiesKept();
        long[] keep = new long[chunks];
        boolean[] excess = new boolean[chunks];
        boolean any = false;
        for (int c = 0; c < chunks; c++) {
            keep[c] = Math.min(quota, equal[c]);
            quota -= keep[c];
            excess[c] = keep[c] < equal[c];
            any |= excess[c];
        }
        if (!any) return;
        s.forPieces(MASK_GRAIN, (chunk, t, from, to) -> {
            if (!excess[chunk]) return;
            float[] a = s.arrays[t], mk = m.arrays[t];
            int ao = s.offsets[t], mo = m.offsets[t];
            for (int i = from; i < to; i++) {
                float v = magnitude ? Math.abs(a[ao + i]) : a[ao + i];
                if (v == tau) {
                    if (keep[chunk] > 0) keep[chunk]--;
                    else mk[mo + i] = 0f;
                }
            }
        });
    }

    /** m[mo + i] = [s ≥ τ] for i &lt; n, where s = |a| or a; returns how many s equal τ. */
    private static long maskPiece(float[] a, int ao, float[] m, int mo, int n, float tau, boolean magnitude) {
        long equal = 0;
        int i = 0;
        if (Simd.ENABLED) {
            FloatVector tv = FloatVector.broadcast(F, tau), zero = FloatVector.zero(F);
            for (int bound = F.loopBound(n); i < bound; i += F.length()) {
                FloatVector v = FloatVector.fromArray(F, a, ao + i);
                if (magnitude) v = v.abs();
                zero.blend(1f, v.compare(VectorOperators.GE, tv)).intoArray(m, mo + i);
                equal += v.compare(VectorOperators.EQ, tv).trueCount();
            }
        }
        for (; i < n; i++) {
            float v = magnitude ? Math.abs(a[ao + i]) : a[ao + i];
            m[mo + i] = v >= tau ? 1f : 0f;
            if (v == tau) equal++;
        }
        return equal;
    }

    /** Sets every element of the list to {@code v}. */
    static void fill(FlatList m, float v) {
        m.forPieces(MASK_GRAIN, (chunk, t, from, to) -> Arrays.fill(m.arrays[t], m.offsets[t] + from, m.offsets[t] + to, v));
    }
}
