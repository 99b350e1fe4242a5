package dev.lethe.surgery;

import dev.lethe.cpu.Simd;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

import java.util.Arrays;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Top-k from a sample-bracketed threshold, in one pass over the data: either writing the mask
 * on the way ({@link #maskInto}, 2^16 to 2^21 scores), or reading only ({@link #select}, from
 * 2^21 on, the mask then written by a compare pass). The result is exactly the radix path's
 * (the same k entries by {@link TopK}'s tie rule); the sample only decides how fast it is
 * found.
 *
 * <p><b>Bracket.</b> S ≈ min(2^16, n/16) scores at a fixed stride give, for p = k/n, the
 * sample ranks pS ∓ (5σ + 8) with σ = √(S·p(1−p)) (the binomial error of a sample rank). The
 * 16-bit key buckets holding those two sample entries bound a band [lo, hi] of keys that
 * holds the k-th largest key unless the sample is off by more than 5σ.
 *
 * <p><b>Pass.</b> One vectorised pass counts A = #{key &gt; hi}, gathers the band entries
 * lo ≤ key ≤ hi (per chunk, in flattened order: keys, and for {@link #maskInto} positions
 * too, as it also writes m = [key &gt; hi]) and tracks the extreme keys (a NaN key lies beyond
 * ±∞). If A &lt; k ≤ A + |band|, the threshold is the (k − A)-th largest band key (radix
 * select on the band alone); {@link #maskInto} then rewrites only the band's mask entries: 1
 * above τ, then τ-equal ones in flattened order. All τ-equal entries lie in the band, so this
 * is TopK's rule exactly. Otherwise (an unlucky sample, or a band too large to gather, as with
 * many equal scores) it reports failure and the caller runs the radix path.
 *
 * <p>Traffic of {@link #maskInto}: one read of the scores and one write of the mask, the band
 * (~2% of n at p = 1/2 and S = 2^16) aside — a copy's. The band's cost bounds where this pays:
 * see {@link #MIN_N}. {@link #select} reads the scores once, without the histogram's scalar
 * increment per entry.
 */
final class SampledSelect {
    private static final VectorSpecies<Float> F = Simd.F;
    private static final VectorSpecies<Integer> I = F.withLanes(int.class);
    /**
     * The one pass runs for MIN_N ≤ n &lt; MAX_N scores. Below MIN_N sampling and the
     * 2^16-bucket sample histogram would cost more than they save. From MAX_N = {@link
     * RadixSelect#LARGE} on the radix path's 16-bit first digit leaves ~0.1% of n in the
     * threshold's bucket, against the bracket's ~2%; gathering, selecting and rewriting those
     * (~25 ns an entry, mostly scattered mask writes) then costs more than the histogram pass
     * saved (measured at 10M and 100M: no gain). Under it the radix path's 12-bit bucket is
     * ~2% too, so the one pass wins (the MLP's 235k scores: ~1.5× faster).
     */
    static final long MIN_N = 1 << 16, MAX_N = RadixSelect.LARGE;
    /** Largest sample. */
    private static final int SAMPLE = 1 << 16;
    /** Standard deviations of the sample rank's error the bracket allows on each side. */
    private static final double Z = 5;

    private SampledSelect() {}

    /** What {@link #maskInto} found: the selection, or why it could not. */
    enum Outcome { DONE, MISSED, NAN }

    /** The result of one attempt: the outcome and, when DONE, the selection. */
    record Result(Outcome outcome, TopK.Selection selection) {}

    /**
     * Tries the one-pass mask for 1 ≤ k ≤ n. On {@link Outcome#MISSED} the masks hold
     * provisional values (the caller rewrites them all); on {@link Outcome#NAN} some score is
     * NaN and the masks are partly written.
     */
    static Result maskInto(FlatList s, FlatList m, long k, boolean magnitude) {
        // At most ~n/4 band entries are gathered: beyond that (many equal scores) the radix path is cheaper.
        Scan scan = scan(s, m, k, magnitude, Math.max(1 << 16, s.total / 4));
        if (scan.outcome != Outcome.DONE) return new Result(scan.outcome, null);
        TopK.Selection inBand = RadixSelect.selectAmong(scan.keys(), k - scan.above, magnitude);
        int tau = RadixSelect.key(inBand.threshold(), magnitude);
        long ties = inBand.tiesKept();
        for (Band b : scan.bands) {
            for (int j = 0; j < b.n; j++) {
                int cmp = Integer.compareUnsigned(b.keys[j], tau);
                if (cmp > 0 || (cmp == 0 && ties-- > 0)) {
                    int t = (int) (b.where[j] >>> 32), i = (int) b.where[j];
                    m.arrays[t][m.offsets[t] + i] = 1f;
                }
            }
        }
        return new Result(Outcome.DONE, scan.selection(inBand));
    }

    /**
     * The selection for 1 ≤ k ≤ n from the bracket and one pass that only reads: it counts
     * the keys above the band and gathers the band's keys (no positions), and τ is the
     * (k − A)-th largest band key. Nothing is written, so a NaN ({@link Outcome#NAN}) or a
     * missed bracket ({@link Outcome#MISSED}) costs only the pass; the mask is then written
     * from τ by a compare pass. For lists from {@link RadixSelect#LARGE} on, where this pass
     * (vectorised, memory-bound) replaces the radix path's first-digit histogram (a scalar
     * increment per entry, compute-bound).
     */
    static Result select(FlatList s, long k, boolean magnitude) {
        // Keys only (4 bytes each), at most n/16 of them: the radix path's collect limit.
        Scan scan = scan(s, null, k, magnitude, RadixSelect.collectLimit(s.total));
        if (scan.outcome != Outcome.DONE) return new Result(scan.outcome, null);
        return new Result(Outcome.DONE, scan.selection(RadixSelect.selectAmong(scan.keys(), k - scan.above, magnitude)));
    }

    /** What one pass over the data found: the outcome, the count above the band, and the band per chunk. */
    private record Scan(Outcome outcome, long above, Band[] bands) {
        /** The band's keys, in chunk order. */
        int[] keys() {
            long total = 0;
            for (Band b : bands) total += b.n;
            int[] keys = new int[(int) total];
            int at = 0;
            for (Band b : bands) {
                System.arraycopy(b.keys, 0, keys, at, b.n);
                at += b.n;
            }
            return keys;
        }

        /** The selection of the whole list, given the selection among the band's keys. */
        TopK.Selection selection(TopK.Selection inBand) {
            return new TopK.Selection(inBand.threshold(), above + inBand.above(), inBand.tiesKept());
        }
    }

    /**
     * Brackets τ from the sample, then one pass counts the keys above the band, gathers the
     * band (with positions when {@code m} is given, which then gets m = [key &gt; hi]) and
     * checks for NaN keys. DONE when the band holds the k-th largest key and at most
     * {@code budget} entries.
     */
    private static Scan scan(FlatList s, FlatList m, long k, boolean magnitude, long budget) {
        int[] bracket = bracket(s, k, magnitude);
        int lo = bracket[0], hi = bracket[1];
        int chunks = s.chunkCount(RadixSelect.MASK_GRAIN);
        Band[] bands = new Band[chunks];
        long[] above = new long[chunks];
        int[] maxKey = new int[chunks], minKey = new int[chunks];
        Arrays.fill(maxKey, Integer.MIN_VALUE);
        Arrays.fill(minKey, Integer.MAX_VALUE);
        AtomicLong left = new AtomicLong(budget);
        int loS = lo ^ 0x80000000, hiS = hi ^ 0x80000000;
        s.forPieces(RadixSelect.MASK_GRAIN, (chunk, t, from, to) -> {
            if (bands[chunk] == null) bands[chunk] = new Band(left, m != null);
            Band b = bands[chunk];
            long[] ext = m == null
                    ? pass(s.arrays[t], s.offsets[t], null, 0, from, to, magnitude, loS, hiS, t, b)
                    : pass(s.arrays[t], s.offsets[t], m.arrays[t], m.offsets[t], from, to, magnitude, loS, hiS, t, b);
            above[chunk] += ext[0];
            maxKey[chunk] = Math.max(maxKey[chunk], (int) ext[1]);
            minKey[chunk] = Math.min(minKey[chunk], (int) ext[2]);
        });
        // NaN keys: magnitude above +∞'s 0xFF000000; value above +∞'s 0xFF800000 or below −∞'s 0x007FFFFF (signed-shifted compares).
        for (int c = 0; c < chunks; c++) {
            if (magnitude ? maxKey[c] > (0xFF000000 ^ 0x80000000) : maxKey[c] > (0xFF800000 ^ 0x80000000) || minKey[c] < (0x007FFFFF ^ 0x80000000)) {
                return new Scan(Outcome.NAN, 0, bands);
            }
        }
        long a = 0, total = 0;
        for (int c = 0; c < chunks; c++) {
            if (bands[c].overflow) return new Scan(Outcome.MISSED, 0, bands);
            a += above[c];
            total += bands[c].n;
        }
        if (!(a < k && k <= a + total)) return new Scan(Outcome.MISSED, 0, bands);
        return new Scan(Outcome.DONE, a, bands);
    }

    /**
     * Keys {lo, hi} (unsigned) bracketing the k-th largest key, from a fixed-stride sample:
     * the bounds of the 16-bit buckets holding the sample entries at ranks pS ∓ margin.
     */
    static int[] bracket(FlatList s, long k, boolean magnitude) {
        long n = s.total;
        int size = (int) Math.min(SAMPLE, Math.max(1, n / 16));
        long stride = n / size;
        int[] h = new int[1 << 16];
        int t = 0;
        for (int j = 0; j < size; j++) {
            long i = j * stride + stride / 2;
            while (s.starts[t + 1] <= i) t++;
            h[RadixSelect.key(s.arrays[t][s.offsets[t] + (int) (i - s.starts[t])], magnitude) >>> 16]++;
        }
        double p = (double) k / n, est = p * size, margin = Z * Math.sqrt(size * p * (1 - p)) + 8;
        // Sample ranks from the top, 0-based: hiRank's entry and everything above it bound "above hi".
        long hiRank = (long) Math.floor(est - margin) - 1, loRank = (long) Math.ceil(est + margin);
        int hi = hiRank < 0 ? -1 : bucketAtRank(h, hiRank) << 16 | 0xFFFF;
        int lo = loRank >= size ? 0 : bucketAtRank(h, loRank) << 16;
        return new int[] {lo, hi};
    }

    /** The bucket holding the entry of 0-based rank r counted from the largest. */
    private static int bucketAtRank(int[] h, long r) {
        long cum = 0;
        int d = h.length - 1;
        while (cum + h[d] <= r) cum += h[d--];
        return d;
    }

    /** Per-thread room for one piece's recorded vectors (start index and staged keys). */
    private static final class Scratch {
        final int[] vectors = new int[RadixSelect.MASK_GRAIN / F.length() + 1], lanes = new int[RadixSelect.MASK_GRAIN / F.length() + 1];
        final int[] keys = new int[RadixSelect.MASK_GRAIN + F.length()];
        final int[] bandKeys = new int[RadixSelect.MASK_GRAIN + F.length()], bandAt = new int[RadixSelect.MASK_GRAIN + F.length()];
    }

    private static final ThreadLocal<Scratch> SCRATCH = ThreadLocal.withInitial(Scratch::new);

    /**
     * One chunk's band entries: keys and, when asked for, positions ((tensor &lt;&lt; 32) |
     * element), in flattened order.
     */
    private static final class Band {
        final AtomicLong budget;
        int[] keys = new int[0];
        /** Null when positions are not kept. */
        long[] where;
        int n;
        boolean overflow;

        Band(AtomicLong budget, boolean positions) {
            this.budget = budget;
            if (positions) where = new long[0];
        }

        /** Makes room for {@code extra} more entries; false (and overflow set) once the budget is spent. */
        boolean reserve(int extra) {
            if (overflow) return false;
            if (n + extra > keys.length) {
                int grow = Math.max(Math.max(keys.length, extra), 256);
                if (budget.addAndGet(-grow) < 0) {
                    overflow = true;
                    return false;
                }
                keys = Arrays.copyOf(keys, keys.length + grow);
                if (where != null) where = Arrays.copyOf(where, keys.length);
            }
            return true;
        }

        /** Appends {@code count} entries of one tensor: keys and element indices. */
        void addAll(int[] k, int[] at, int count, int tensor) {
            if (!reserve(count)) return;
            System.arraycopy(k, 0, keys, n, count);
            long t = (long) tensor << 32;
            if (where != null) for (int j = 0; j < count; j++) where[n + j] = t | at[j];
            n += count;
        }

        void add(int key, int tensor, int element) {
            if (!reserve(1)) return;
            keys[n] = key;
            if (where != null) where[n] = (long) tensor << 32 | element;
            n++;
        }
    }

    /**
     * m[i] = [key &gt; hi] over [from, to) (unless m is null), band entries added to {@code
     * out}; returns {count above hi, the largest and the smallest sign-flipped key}.
     */
    private static long[] pass(float[] a, int ao, float[] m, int mo, int from, int to, boolean magnitude, int loS, int hiS, int tensor, Band out) {
        int i = from;
        long above = 0;
        int max = Integer.MIN_VALUE, min = Integer.MAX_VALUE;
        if (Simd.ENABLED) {
            IntVector one = IntVector.broadcast(I, Float.floatToRawIntBits(1f)), zero = IntVector.zero(I);
            Scratch scratch = SCRATCH.get();
            int[] vectors = scratch.vectors, stage = scratch.keys, lanes = scratch.lanes;
            int nv = 0;
            IntVector vmax = IntVector.broadcast(I, Integer.MIN_VALUE), vmin = IntVector.broadcast(I, Integer.MAX_VALUE);
            for (int bound = from + F.loopBound(to - from); i < bound; i += F.length()) {
                FloatVector v = FloatVector.fromArray(F, a, ao + i);
                IntVector sk;
                if (magnitude) {
                    sk = v.reinterpretAsInts().lanewise(VectorOperators.LSHL, 1).lanewise(VectorOperators.XOR, 0x80000000);
                } else {
                    IntVector b = v.add(0f).reinterpretAsInts();
                    // key ^ MIN = b ^ (b >> 31 | MIN) ^ MIN = b ^ ((b >> 31) & 0x7FFFFFFF)
                    sk = b.lanewise(VectorOperators.XOR, b.lanewise(VectorOperators.ASHR, 31).lanewise(VectorOperators.AND, 0x7FFFFFFF));
                }
                VectorMask<Integer> up = sk.compare(VectorOperators.GT, hiS);
                if (m != null) zero.blend(one, up).reinterpretAsFloats().intoArray(m, mo + i);
                above += up.trueCount();
                vmax = vmax.max(sk);
                vmin = vmin.min(sk);
                // Record the vector if a lane is in the band, without a branch: ~1 vector in 6
                // holds one, and a mispredicted branch per such vector would triple the pass.
                // Its keys are staged from the register, as rereading the scores would miss the cache.
                long bits = sk.compare(VectorOperators.GE, loS).andNot(up).toLong();
                sk.intoArray(stage, nv * F.length());
                vectors[nv] = i;
                lanes[nv] = (int) bits;
                nv += (int) ((bits | -bits) >>> 63);
            }
            for (int j = 0; j < I.length(); j++) {
                max = Math.max(max, vmax.lane(j));
                min = Math.min(min, vmin.lane(j));
            }
            // The recorded vectors' band lanes, from the staged keys, visiting only the set bits.
            int[] ck = scratch.bandKeys, cp = scratch.bandAt;
            int c = 0;
            for (int r = 0; r < nv; r++) {
                int base = vectors[r];
                for (int bits = lanes[r]; bits != 0; bits &= bits - 1) {
                    int j = Integer.numberOfTrailingZeros(bits);
                    ck[c] = stage[r * F.length() + j] ^ 0x80000000;
                    cp[c++] = base + j;
                }
            }
            out.addAll(ck, cp, c, tensor);
        }
        for (; i < to; i++) {
            int k = RadixSelect.key(a[ao + i], magnitude), sk = k ^ 0x80000000;
            if (m != null) m[mo + i] = sk > hiS ? 1f : 0f;
            if (sk > hiS) above++;
            else if (sk >= loS) out.add(k, tensor, i);
            max = Math.max(max, sk);
            min = Math.min(min, sk);
        }
        return new long[] {above, max, min};
    }
}
