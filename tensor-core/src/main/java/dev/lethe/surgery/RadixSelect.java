package dev.lethe.surgery;

import dev.lethe.cpu.Simd;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

import java.util.Arrays;

/**
 * The k-th largest float of a flattened list by radix select on order-preserving 32-bit keys,
 * and the mask pass fused with it.
 *
 * <p><b>Keys.</b> Each score maps to an unsigned int whose order is the score order:
 * magnitude: {@code bits << 1} (the sign bit dropped, so −x and x share a key); value:
 * {@code bits ^ (bits < 0 ? 0xFFFFFFFF : 0x80000000)} of {@code x + 0f} (which turns −0 into
 * +0). NaN keys lie above +∞ (and, for signed NaN, below −∞), so the extreme first-level
 * buckets reveal whether a NaN may be present.
 *
 * <p><b>Select.</b> Three digits of 12, 10 and 10 bits from the top (16, 8 and 8 for large
 * lists). Level 1 histograms the first digit of every key and walks the buckets from the largest until k is reached: that
 * bucket holds the threshold. Once a bucket holds at most {@link #collectLimit} entries its
 * keys are gathered into an array and the remaining digits are histogrammed there; a huge
 * bucket (many equal scores) is refined by further passes over the data instead, so memory
 * stays bounded. Counts are integers, so merging per-chunk histograms in any order gives the
 * same result whatever the thread count.
 *
 * <p><b>Large lists.</b> From {@link SampledSelect#MIN_N} scores on, {@link
 * SampledSelect#select} tries first: a sample brackets τ and one vectorised pass that writes
 * nothing counts the entries above the bracket and gathers those inside it (~1–2%), which are
 * then selected exactly. That pass costs less than the histogram's scalar increment per
 * entry (pruning the MLP's 234,752 weights: 0.31 ms against 0.52 ms on one thread); if the
 * sample missed, the radix descent runs.
 *
 * <p><b>Mask.</b> From {@link SampledSelect#MIN_N} scores: {@link SampledSelect#packed}, one
 * pass that writes the mask as bits while it reads the scores (see {@link #selectAndMask}).
 * Otherwise (or after a missed sample) the mask needs no pass of its own: the pass that
 * gathers the threshold bucket's keys also writes 1 above the bucket and 0 below it, then
 * only the bucket's entries are rewritten once the exact threshold is known — one histogram
 * pass and one compare-and-blend pass in all.
 */
final class RadixSelect {
    private static final VectorSpecies<Float> F = Simd.F;
    private static final VectorSpecies<Integer> I = F.withLanes(int.class);
    /** Digit widths (12, 10, 10 bits) for small lists, where a 2^16-bucket histogram would cost more than the data. */
    private static final int[] SMALL_BITS = {12, 10, 10}, SMALL_SHIFT = {20, 10, 0};
    /**
     * Digit widths (16, 8, 8 bits) from {@link #LARGE} elements on: a 16-bit first digit costs
     * no more to histogram, and leaves ~16× fewer candidates in the threshold's bucket (for
     * Gaussian scores around the median, ~0.1% of the entries instead of ~2%), so the pass
     * that gathers them runs at the speed of a plain compare.
     */
    private static final int[] LARGE_BITS = {16, 8, 8}, LARGE_SHIFT = {16, 8, 0};
    static final long LARGE = 1 << 21;
    /**
     * Flattened elements per chunk of the histogram and collect passes: each chunk makes and
     * merges its own histogram, so chunks are large enough that the merge costs little (2^20
     * elements for 2^16 buckets), yet the MLP's 235k parameters still split across two threads.
     */
    static int histGrain(long n) {
        return n >= LARGE ? 1 << 20 : 1 << 17;
    }
    /** Flattened elements per chunk of the mask pass (its tie counts are kept per chunk). */
    static final int MASK_GRAIN = 1 << 16;

    private RadixSelect() {}

    /** The order-preserving unsigned key of score {@code x}. */
    static int key(float x, boolean magnitude) {
        if (magnitude) return Float.floatToRawIntBits(x) << 1;
        int b = Float.floatToRawIntBits(x + 0f);
        return b ^ ((b >> 31) | 0x80000000);
    }

    /** The lanes' keys, as {@link #key} gives each. */
    static IntVector keys(FloatVector x, boolean magnitude) {
        if (magnitude) return x.reinterpretAsInts().lanewise(VectorOperators.LSHL, 1);
        IntVector b = x.add(0f).reinterpretAsInts();
        return b.lanewise(VectorOperators.XOR, b.lanewise(VectorOperators.ASHR, 31).lanewise(VectorOperators.OR, 0x80000000));
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

    /**
     * A radix descent: the key prefix fixed so far, how many keys lie above it, how many share
     * it, and the rank still needed among those.
     */
    private static final class Descent {
        final int[] bits, shift;
        int level, prefixMask, prefix;
        long above, need, count;

        Descent(long k, long n) {
            need = k;
            count = n;
            bits = n >= LARGE ? LARGE_BITS : SMALL_BITS;
            shift = n >= LARGE ? LARGE_SHIFT : SMALL_SHIFT;
        }

        /** Fixes the next digit from its histogram h (over the keys sharing the prefix). */
        void choose(long[] h) {
            int digit = h.length - 1;
            long cum = 0;
            while (cum + h[digit] < need) cum += h[digit--];
            above += cum;
            need -= cum;
            count = h[digit];
            prefixMask |= ((1 << bits[level]) - 1) << shift[level];
            prefix |= digit << shift[level];
            level++;
        }

        boolean done() {
            return level == bits.length;
        }

        /** Histograms the next digit over the data, or over {@code keys} once they were gathered. */
        long[] histogram(FlatList s, boolean magnitude, int[] keys) {
            return keys == null
                    ? RadixSelect.histogram(s, magnitude, prefixMask, prefix, shift[level], bits[level])
                    : RadixSelect.histogram(keys, prefixMask, prefix, shift[level], bits[level]);
        }

        /**
         * Finishes the descent: over the data until few enough keys share the prefix, then over
         * those, keeping after each digit only the keys that share the longer prefix (a band
         * of 2M keys from {@link SampledSelect} shrinks ~20× after its first digit).
         */
        TopK.Selection finish(FlatList s, boolean magnitude, int[] keys) {
            while (!done()) {
                if (keys == null && count <= collectLimit(s.total)) keys = collect(s, magnitude, prefixMask, prefix);
                if (keys != null && count < keys.length) keys = matching(keys, prefixMask, prefix, (int) count);
                choose(histogram(s, magnitude, keys));
            }
            // count: the keys sharing the whole key, τ's.
            return new TopK.Selection(value(prefix, magnitude), above, need, count);
        }
    }

    /** The first digit's descent, with the NaN check its histogram makes cheap. */
    private static Descent firstDigit(FlatList s, long k, boolean magnitude) {
        Descent d = new Descent(k, s.total);
        long[] h = d.histogram(s, magnitude, null);
        if (mayHoldNaN(h, magnitude)) requireNoNaN("top-k", s);
        d.choose(h);
        return d;
    }

    /**
     * The selection for 1 ≤ k ≤ n, reading the scores only. From {@link SampledSelect#MIN_N}
     * on, {@link SampledSelect#select} tries first (one vectorised pass instead of the scalar
     * histogram); if its sample missed, the radix descent runs.
     */
    static TopK.Selection select(FlatList s, long k, boolean magnitude) {
        if (s.total >= SampledSelect.MIN_N) {
            TopK.Selection sel = bracketed(s, k, magnitude);
            if (sel != null) return sel;
        }
        return firstDigit(s, k, magnitude).finish(s, magnitude, null);
    }

    /** {@link SampledSelect#select}: the selection, or null if the sample missed. @throws IllegalArgumentException on a NaN score */
    private static TopK.Selection bracketed(FlatList s, long k, boolean magnitude) {
        SampledSelect.Result r = SampledSelect.select(s, k, magnitude);
        if (r.outcome() == SampledSelect.Outcome.NAN) requireNoNaN("top-k", s);
        return r.outcome() == SampledSelect.Outcome.DONE ? r.selection() : null;
    }

    /**
     * Selects and writes the mask for 1 ≤ k ≤ n. From {@link SampledSelect#MIN_N} scores,
     * {@link SampledSelect#packed} tries first (one pass that reads the scores and writes the
     * mask as bits), and the bits are then written out as floats, a pass that reads nothing
     * but bits in cache; NaN is found before any mask is written. If the sample misses, or
     * for fewer scores, the radix path: when the threshold's first-level bucket is
     * small enough to gather, one pass writes 1 above the bucket and 0 elsewhere while
     * gathering the bucket's keys and positions (in flattened order); the descent finishes on
     * those keys and only the bucket's positions are then rewritten. Otherwise (a huge bucket:
     * many equal scores) the descent runs over the data and a compare pass writes the mask.
     */
    static TopK.Selection selectAndMask(FlatList s, FlatList m, long k, boolean magnitude) {
        if (s.total >= SampledSelect.MIN_N) {
            TopK.Bits p = packed(s, k, magnitude);
            if (p != null) {
                FlatBits.expand(p.bits(), m);
                return p.selection();
            }
        }
        return radixSelectAndMask(s, m, k, magnitude);
    }

    /** The radix path of {@link #selectAndMask}, for 1 ≤ k ≤ n (NaN refused before any write). */
    static TopK.Selection radixSelectAndMask(FlatList s, FlatList m, long k, boolean magnitude) {
        Descent d = firstDigit(s, k, magnitude);
        if (d.count > collectLimit(s.total)) {
            TopK.Selection sel = d.finish(s, magnitude, null);
            writeMask(s, m, sel, magnitude);
            return sel;
        }
        Candidates[] found = maskAndCollect(s, m, magnitude, d.prefixMask, d.prefix);
        Keys[] parts = new Keys[found.length];
        for (int c = 0; c < found.length; c++) parts[c] = found[c].keys;
        TopK.Selection sel = d.finish(s, magnitude, Keys.join(parts));
        // The bucket's entries, in flattened order: above τ → 1, equal → 1 while ties remain.
        int tau = key(sel.threshold(), magnitude);
        long ties = sel.tiesKept();
        for (Candidates c : found) {
            for (int j = 0; j < c.keys.n; j++) {
                int cmp = Integer.compareUnsigned(c.keys.a[j], tau);
                if (cmp > 0 || (cmp == 0 && ties-- > 0)) {
                    int t = (int) (c.where[j] >>> 32), i = (int) c.where[j];
                    m.arrays[t][m.offsets[t] + i] = 1f;
                }
            }
        }
        return sel;
    }

    /**
     * {@link SampledSelect#packed}: the selection and bits, or null if the sample missed.
     *
     * @throws IllegalArgumentException on a NaN score (nothing written)
     */
    static TopK.Bits packed(FlatList s, long k, boolean magnitude) {
        SampledSelect.Result r = SampledSelect.packed(s, k, magnitude);
        if (r.outcome() == SampledSelect.Outcome.NAN) requireNoNaN("top-k", s);
        return r.outcome() == SampledSelect.Outcome.DONE ? new TopK.Bits(r.selection(), r.bits()) : null;
    }

    /**
     * The selection of the {@code need}-th largest of {@code keys} (1 ≤ need ≤ keys.length):
     * τ's value, how many keys lie above it, and how many τ-equal keys are kept.
     */
    static TopK.Selection selectAmong(int[] keys, long need, boolean magnitude) {
        return new Descent(need, keys.length).finish(null, magnitude, keys);
    }

    /** Whether a first-level histogram has entries in the buckets where NaN keys fall. */
    private static boolean mayHoldNaN(long[] h, boolean magnitude) {
        // Magnitude: +∞ is 0xFF000000, NaN above it. Value: +NaN above +∞ = 0xFF800000, −NaN
        // below −∞ = 0x007FFFFF. Check the buckets holding those keys (h covers the top log2(h.length) bits).
        int drop = 32 - Integer.numberOfTrailingZeros(h.length);
        int hiFrom = (magnitude ? 0xFF000000 : 0xFF800000) >>> drop;
        for (int d = hiFrom; d < h.length; d++) if (h[d] != 0) return true;
        if (!magnitude) for (int d = 0; d <= 0x007FFFFF >>> drop; d++) if (h[d] != 0) return true;
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
        s.forPieces(histGrain(s.total), (chunk, t, from, to) -> {
            int[] h = new int[1 << bits];
            int o = s.offsets[t];
            if (prefixMask == 0) histogramPiece(s.arrays[t], o + from, o + to, magnitude, shift, digitMask, h);
            else filteredHistogramPiece(s.arrays[t], o + from, o + to, magnitude, prefixMask, prefix, shift, digitMask, h);
            synchronized (total) {
                for (int d = 0; d < h.length; d++) total[d] += h[d];
            }
        });
        return total;
    }

    // The first digit's loops, one per rank and width with the shift a constant: C2 then drops
    // the bounds check and the loop runs ~1.5× faster than with the shift in a variable.
    private static void histogramPiece(float[] a, int from, int to, boolean magnitude, int shift, int digitMask, int[] h) {
        if (magnitude && shift == 16) {
            for (int i = from; i < to; i++) h[(Float.floatToRawIntBits(a[i]) >>> 15) & 0xFFFF]++;
        } else if (magnitude && shift == 20) {
            for (int i = from; i < to; i++) h[(Float.floatToRawIntBits(a[i]) >>> 19) & 0xFFF]++;
        } else if (shift == 16) {
            for (int i = from; i < to; i++) h[key(a[i], false) >>> 16]++;
        } else if (shift == 20) {
            for (int i = from; i < to; i++) h[key(a[i], false) >>> 20]++;
        } else {
            for (int i = from; i < to; i++) h[(key(a[i], magnitude) >>> shift) & digitMask]++;
        }
    }

    private static void filteredHistogramPiece(float[] a, int from, int to, boolean magnitude, int prefixMask, int prefix, int shift, int digitMask, int[] h) {
        for (int i = from; i < to; i++) {
            int key = key(a[i], magnitude);
            if ((key & prefixMask) == prefix) h[(key >>> shift) & digitMask]++;
        }
    }

    private static long[] histogram(int[] keys, int prefixMask, int prefix, int shift, int bits) {
        long[] h = new long[1 << bits];
        int digitMask = (1 << bits) - 1;
        for (int key : keys) if ((key & prefixMask) == prefix) h[(key >>> shift) & digitMask]++;
        return h;
    }

    /** The {@code count} keys of {@code keys} with {@code (key & prefixMask) == prefix}, in order. */
    private static int[] matching(int[] keys, int prefixMask, int prefix, int count) {
        int[] out = new int[count];
        int at = 0;
        for (int key : keys) if ((key & prefixMask) == prefix) out[at++] = key;
        return out;
    }

    /** The keys with {@code (key & prefixMask) == prefix}, gathered chunk by chunk. */
    private static int[] collect(FlatList s, boolean magnitude, int prefixMask, int prefix) {
        int grain = histGrain(s.total), chunks = s.chunkCount(grain);
        Keys[] found = new Keys[chunks];
        s.forPieces(grain, (chunk, t, from, to) -> {
            if (found[chunk] == null) found[chunk] = new Keys();
            int o = s.offsets[t];
            collectPiece(s.arrays[t], o + from, o + to, magnitude, prefixMask, prefix, found[chunk]);
        });
        return Keys.join(found);
    }

    /** A growable int array. */
    private static final class Keys {
        int[] a = new int[256];
        int n;

        void add(int key) {
            if (n == a.length) a = Arrays.copyOf(a, 2 * n);
            a[n++] = key;
        }

        /** The keys of every part, one part after another. */
        static int[] join(Keys[] parts) {
            int total = 0;
            for (Keys k : parts) total += k.n;
            int[] keys = new int[total];
            int at = 0;
            for (Keys k : parts) {
                System.arraycopy(k.a, 0, keys, at, k.n);
                at += k.n;
            }
            return keys;
        }
    }

    /**
     * Adds the keys of a[from, to) matching the prefix to {@code out}. The vector loop only
     * tests a whole vector for a match (rare: one bucket of 4096); the lanes of a matching
     * vector are then taken one by one.
     */
    private static void collectPiece(float[] a, int from, int to, boolean magnitude, int prefixMask, int prefix, Keys out) {
        int i = from;
        if (Simd.ENABLED) {
            for (int bound = from + F.loopBound(to - from); i < bound; i += F.length()) {
                IntVector key = keys(FloatVector.fromArray(F, a, i), magnitude);
                if (key.lanewise(VectorOperators.AND, prefixMask).compare(VectorOperators.EQ, prefix).anyTrue()) {
                    for (int j = i; j < i + F.length(); j++) {
                        int k = key(a[j], magnitude);
                        if ((k & prefixMask) == prefix) out.add(k);
                    }
                }
            }
        }
        for (; i < to; i++) {
            int k = key(a[i], magnitude);
            if ((k & prefixMask) == prefix) out.add(k);
        }
    }

    /** Keys of one chunk's bucket entries and their positions, (tensor index &lt;&lt; 32) | element index. */
    private static final class Candidates {
        final Keys keys = new Keys();
        long[] where = new long[256];

        void add(int key, int tensor, int element) {
            int n = keys.n;
            if (n == where.length) where = Arrays.copyOf(where, 2 * n);
            where[n] = (long) tensor << 32 | element;
            keys.add(key);
        }
    }

    /** m = [key above the prefix's bucket], gathering the bucket's entries per chunk. */
    private static Candidates[] maskAndCollect(FlatList s, FlatList m, boolean magnitude, int prefixMask, int prefix) {
        Candidates[] found = new Candidates[s.chunkCount(MASK_GRAIN)];
        // Keys above the bucket: unsigned key > prefix | ~prefixMask, i.e. signed (key ^ MIN) > aboveSigned.
        int aboveSigned = (prefix | ~prefixMask) ^ 0x80000000;
        s.forPieces(MASK_GRAIN, (chunk, t, from, to) -> {
            if (found[chunk] == null) found[chunk] = new Candidates();
            maskAndCollectPiece(s.arrays[t], s.offsets[t], m.arrays[t], m.offsets[t], from, to, magnitude, prefixMask, prefix, aboveSigned, t, found[chunk]);
        });
        return found;
    }

    private static void maskAndCollectPiece(float[] a, int ao, float[] m, int mo, int from, int to, boolean magnitude, int prefixMask, int prefix,
            int aboveSigned, int tensor, Candidates out) {
        int i = from;
        if (Simd.ENABLED) {
            IntVector one = IntVector.broadcast(I, Float.floatToRawIntBits(1f)), zero = IntVector.zero(I);
            for (int bound = from + F.loopBound(to - from); i < bound; i += F.length()) {
                IntVector key = keys(FloatVector.fromArray(F, a, ao + i), magnitude);
                zero.blend(one, key.lanewise(VectorOperators.XOR, 0x80000000).compare(VectorOperators.GT, aboveSigned))
                        .reinterpretAsFloats().intoArray(m, mo + i);
                if (key.lanewise(VectorOperators.AND, prefixMask).compare(VectorOperators.EQ, prefix).anyTrue()) {
                    for (int j = i; j < i + F.length(); j++) {
                        int k = key(a[ao + j], magnitude);
                        if ((k & prefixMask) == prefix) out.add(k, tensor, j);
                    }
                }
            }
        }
        for (; i < to; i++) {
            int k = key(a[ao + i], magnitude);
            m[mo + i] = (k ^ 0x80000000) > aboveSigned ? 1f : 0f;
            if ((k & prefixMask) == prefix) out.add(k, tensor, i);
        }
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
        dropLaterTies(s, sel, equal, (t, i, f) -> {
            float v = s.arrays[t][s.offsets[t] + i];
            return (magnitude ? Math.abs(v) : v) == tau;
        }, (t, i, f) -> m.arrays[t][m.offsets[t] + i] = 0f);
    }

    /** Element i of tensor t of a {@link FlatList}, flattened index f. */
    interface ElementTest {
        boolean test(int t, int i, long f);
    }

    /** Something done to element i of tensor t of a {@link FlatList}, flattened index f. */
    interface ElementAction {
        void apply(int t, int i, long f);
    }

    /**
     * After a pass that kept every τ-equal entry and counted them per chunk ({@code equal}):
     * chunk c keeps its first {@code sel.tieQuota(equal)[c]} in flattened order and the later
     * ones are dropped ({@code drop}), which is {@link TopK}'s tie rule. Only the chunks that
     * drop some are read; {@code isTie} tells a kept τ-equal entry.
     */
    static void dropLaterTies(FlatList s, TopK.Selection sel, long[] equal, ElementTest isTie, ElementAction drop) {
        long[] keep = sel.tieQuota(equal);
        boolean[] drops = new boolean[equal.length];
        boolean any = false;
        for (int c = 0; c < equal.length; c++) {
            drops[c] = keep[c] < equal[c];
            any |= drops[c];
        }
        if (!any) return;
        // A chunk's pieces run in order on one thread, so keep[c] counts down across them.
        s.forPieces(MASK_GRAIN, (c, t, from, to) -> {
            if (!drops[c]) return;
            for (int i = from; i < to; i++) {
                long f = s.starts[t] + i;
                if (!isTie.test(t, i, f)) continue;
                if (keep[c] > 0) keep[c]--;
                else drop.apply(t, i, f);
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
