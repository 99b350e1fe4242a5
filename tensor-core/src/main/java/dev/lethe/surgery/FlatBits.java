package dev.lethe.surgery;

import dev.lethe.cpu.Simd;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorSpecies;

/**
 * A 0/1 mask packed one bit per element: bit f of {@code bits} is
 * {@code (bits[f >>> 6] >>> (f & 63)) & 1}. A mask over a {@link FlatList} numbers its bits
 * by the flattened index, so tensor t's mask starts at bit {@code starts[t]}; a mask may also
 * start at any bit of a longer array (a {@code base}).
 *
 * <p>Why bits: a float32 mask moves 32 times the bytes. The top-k kernels write the mask as
 * bits while they read the scores, then fix the few entries near the threshold in place,
 * which is cheap because the whole mask of 10M entries (1.25 MB) stays in cache; a float
 * mask of the same list (40 MB) does not, and writing it costs as much as a copy.
 *
 * <p>Writers of one list split it into chunks whose first element is a multiple of 64 in the
 * flattened index (see {@link RadixSelect#MASK_GRAIN}), so no two threads ever write the
 * same word.
 */
final class FlatBits {
    private static final VectorSpecies<Float> F = Simd.F;
    private static final int L = F.length();

    private FlatBits() {}

    /** Zeroed words for {@code n} bits. */
    static long[] allocate(long n) {
        if ((n + 63) >>> 6 > Integer.MAX_VALUE - 8) throw new IllegalArgumentException("a mask of " + n + " entries is too large");
        return new long[(int) ((n + 63) >>> 6)];
    }

    static boolean get(long[] bits, long f) {
        return (bits[(int) (f >>> 6)] >>> f & 1) != 0;
    }

    static void set(long[] bits, long f) {
        bits[(int) (f >>> 6)] |= 1L << f;
    }

    static void clear(long[] bits, long f) {
        bits[(int) (f >>> 6)] &= ~(1L << f);
    }

    /** ORs {@code word} into the 64 bits from bit f (bits past the array's end must be 0 in {@code word}). */
    static void or(long[] bits, long f, long word) {
        int q = (int) (f >>> 6), r = (int) (f & 63);
        bits[q] |= word << r;
        if (r != 0 && word >>> (64 - r) != 0) bits[q + 1] |= word >>> (64 - r);
    }

    /** The 64 bits from bit f; bits past the array's end read 0. */
    static long word(long[] bits, long f) {
        int q = (int) (f >>> 6), r = (int) (f & 63);
        long w = bits[q] >>> r;
        if (r != 0 && q + 1 < bits.length) w |= bits[q + 1] << (64 - r);
        return w;
    }

    /** The number of set bits among bits [from, to). */
    static long count(long[] bits, long from, long to) {
        long n = 0;
        long f = from;
        for (; f + 64 <= to; f += 64) n += Long.bitCount(word(bits, f));
        if (f < to) n += Long.bitCount(word(bits, f) & (-1L >>> (64 - (to - f))));
        return n;
    }

    /** dst[off + i] = bit (base + i) as 1f or 0f, for i &lt; n. */
    static void expand(long[] bits, long base, float[] dst, int off, int n) {
        int i = 0;
        if (Simd.ENABLED) {
            FloatVector one = FloatVector.broadcast(F, 1f), zero = FloatVector.zero(F);
            for (; i + 64 <= n; i += 64) {
                long w = word(bits, base + i);
                for (int v = 0; v < 64; v += L) zero.blend(one, VectorMask.fromLong(F, w >>> v)).intoArray(dst, off + i + v);
            }
        }
        for (; i < n; i++) dst[off + i] = get(bits, base + i) ? 1f : 0f;
    }

    /** x[off + i] ← bit (base + i) ? x[off + i] : +0, for i &lt; n. */
    static void keepWhere(long[] bits, long base, float[] x, int off, int n) {
        int i = 0;
        if (Simd.ENABLED) {
            FloatVector zero = FloatVector.zero(F);
            for (; i + 64 <= n; i += 64) {
                long w = word(bits, base + i);
                if (w == -1L) continue;
                for (int v = 0; v < 64; v += L) {
                    int at = off + i + v;
                    zero.blend(FloatVector.fromArray(F, x, at), VectorMask.fromLong(F, w >>> v)).intoArray(x, at);
                }
            }
        }
        for (; i < n; i++) if (!get(bits, base + i)) x[off + i] = 0f;
    }

    /**
     * Packs the 0/1 floats src[off, off + n) into bits [base, base + n) of {@code bits}
     * (which must be 0 there).
     *
     * @return the first i whose value is neither 0 nor 1 (NaN included), or −1
     */
    static int pack(float[] src, int off, int n, long[] bits, long base) {
        for (int i = 0; i < n; i++) {
            float v = src[off + i];
            if (v == 1f) set(bits, base + i);
            else if (v != 0f) return i;
        }
        return -1;
    }

    /**
     * The 0/1 float32 masks {@code m} (written by this package's kernels) packed, in parallel.
     *
     * @throws IllegalStateException naming the tensor and element of a value other than 0 and 1
     */
    static long[] pack(FlatList m) {
        long[] bits = allocate(m.total);
        long[] bad = new long[m.chunkCount(RadixSelect.MASK_GRAIN)];
        java.util.Arrays.fill(bad, -1);
        m.forPieces(RadixSelect.MASK_GRAIN, (c, t, from, to) -> {
            int i = pack(m.arrays[t], m.offsets[t] + from, to - from, bits, m.starts[t] + from);
            if (i >= 0 && bad[c] < 0) bad[c] = m.starts[t] + from + i;
        });
        for (long f : bad) {
            if (f >= 0) {
                int t = m.tensorAt(f);
                throw new IllegalStateException("mask tensor " + m.index(t) + " element " + (f - m.starts[t]) + " is neither 0 nor 1");
            }
        }
        return bits;
    }

    /** The whole list's mask written into float32 masks {@code m} of the list's shapes, in parallel. */
    static void expand(long[] bits, FlatList m) {
        m.forPieces(RadixSelect.MASK_GRAIN, (c, t, from, to) -> expand(bits, m.starts[t] + from, m.arrays[t], m.offsets[t] + from, to - from));
    }
}
