package dev.lethe.surgery;

import dev.lethe.cpu.Parallel;
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
 * as bits on the way ({@link #packed}), or reading only ({@link #select}). The result is
 * exactly the radix path's (the same k entries by {@link TopK}'s tie rule); the sample only
 * decides how fast it is found.
 *
 * <p><b>Bracket.</b> A sample of S scores (runs of consecutive scores at at most 512
 * fixed-stride points, S ≤ min(2^18, n/16)) gives, for p = k/n, the sample ranks pS ∓ (5σ +
 * 8), σ the standard deviation of a sample rank (binomial, √(S·p(1−p)), unless the runs say
 * it is larger); the keys at those ranks bound a band [lo, hi] that holds the k-th largest
 * key unless the sample is off by more than 5σ (see {@link #bracket}). About 1% of n lie in
 * the band for Gaussian scores from 8M on.
 *
 * <p><b>Pass.</b> One vectorised pass counts A = #{key &gt; hi}, gathers the band entries
 * lo ≤ key ≤ hi (per chunk, in flattened order: keys, and for {@link #packed} positions too,
 * as it also writes bit = [key &gt; hi]) and tracks the extreme keys (a NaN key lies beyond
 * ±∞). If A &lt; k ≤ A + |band|, the threshold is the (k − A)-th largest band key (radix
 * select on the band alone); {@link #packed} then sets the band's bits: above τ, then
 * τ-equal ones in flattened order. All τ-equal entries lie in the band, so this is TopK's
 * rule exactly. Otherwise (an unlucky sample, or a band too large to gather, as with many
 * equal scores) it reports failure and the caller runs the radix path.
 *
 * <p>The pass gathers the band without a branch where compress is one instruction ({@link
 * #compressPass}), else with a branch per vector or per 64 entries that hold a band key.
 *
 * <p>Traffic of {@link #packed}: one read of the scores and a write of n/8 bytes of bits; the
 * band (~1% of n at p = 1/2 from 8M scores) is set in bits that are still in cache (10M
 * entries' bits are 1.25 MB). {@link #select} reads the scores once, without the radix
 * histogram's scalar increment per entry.
 */
final class SampledSelect {
    private static final VectorSpecies<Float> F = Simd.F;
    private static final VectorSpecies<Integer> I = F.withLanes(int.class);
    /** Below MIN_N scores, sampling and the 2^16-bucket sample histogram cost more than they save: the radix path runs. */
    static final long MIN_N = 1 << 16;
    /** Most keys the bracket samples (at most n/16). */
    private static final int SAMPLE = 1 << 18;
    /** Most sample points: a point costs a scattered read, the rest of its run streams. */
    private static final int POINTS = 1 << 9;
    /** Fewest consecutive scores read at a sample point; a run's length is a multiple of it. */
    private static final int MIN_RUN = 32;
    /** Most keys at the head of each run that the bracket's first stage reads. */
    private static final int HEAD = 64;
    /** Key bits of the bracket's first-stage histogram (32 buckets an octave): coarse, as the second stage narrows it. */
    private static final int STAGE1_BITS = 14;
    /** Runs per parallel chunk of the bracket's second stage (512 runs: eight chunks for the two threads to share). */
    private static final int STAGE2_GRAIN = 64;
    /** Standard deviations of the sample rank's error the bracket allows on each side. */
    private static final double Z = 5;

    private SampledSelect() {}

    /** What an attempt found: the selection, or why it could not. */
    enum Outcome { DONE, MISSED, NAN }

    /** The result of one attempt: the outcome and, when DONE, the selection and (from {@link #packed}) the mask's bits. */
    record Result(Outcome outcome, TopK.Selection selection, long[] bits) {}

    /**
     * The top-k mask as bits over the flattened list ({@link FlatBits}), for 1 ≤ k ≤ n, from
     * one pass over the scores: it writes bit = [key &gt; hi] and gathers the band with
     * positions; the band's bits are then set from its exact selection (above τ, then
     * τ-equal entries in flattened order). The scores are only read. On {@link Outcome#MISSED}
     * or {@link Outcome#NAN} there are no bits.
     */
    static Result packed(FlatList s, long k, boolean magnitude) {
        long[] bits = FlatBits.allocate(s.total);
        // At most ~n/4 band entries are gathered: beyond that (many equal scores) the radix path is cheaper.
        Scan scan = scan(s, bits, k, magnitude, Math.max(1 << 16, s.total / 4));
        if (scan.outcome != Outcome.DONE) return new Result(scan.outcome, null, null);
        TopK.Selection inBand = scan.select(k, magnitude);
        int tau = RadixSelect.key(inBand.threshold(), magnitude);
        // Each chunk sets its band bits above τ and counts its τ-equal keys; the ties kept go,
        // in chunk order, to the first of those (each chunk owns its bits' words).
        Band[] bands = scan.bands;
        long[] equal = new long[bands.length];
        Parallel.forChunks(bands.length, 1, (cs, ce) -> {
            for (int c = cs; c < ce; c++) {
                Band b = bands[c];
                for (int j = 0; j < b.n; j++) {
                    int cmp = Integer.compareUnsigned(b.keys[j], tau);
                    if (cmp > 0) FlatBits.set(bits, b.where[j]);
                    else if (cmp == 0) equal[c]++;
                }
            }
        });
        long[] keep = inBand.tieQuota(equal);
        for (int c = 0; c < bands.length; c++) {
            Band b = bands[c];
            for (int j = 0; j < b.n && keep[c] > 0; j++) {
                if (b.keys[j] == tau) {
                    FlatBits.set(bits, b.where[j]);
                    keep[c]--;
                }
            }
        }
        return new Result(Outcome.DONE, scan.selection(inBand), bits);
    }

    /**
     * The selection for 1 ≤ k ≤ n from the bracket and one pass that only reads: it counts
     * the keys above the band and gathers the band's keys (no positions), and τ is the
     * (k − A)-th largest band key. Nothing is written, so a NaN ({@link Outcome#NAN}) or a
     * missed bracket ({@link Outcome#MISSED}) costs only the pass; the mask is then written
     * from τ by a compare pass. This pass (vectorised, memory-bound) replaces the radix
     * path's first-digit histogram (a scalar increment per entry, compute-bound).
     */
    static Result select(FlatList s, long k, boolean magnitude) {
        // Keys only (4 bytes each), at most n/16 of them: the radix path's collect limit.
        Scan scan = scan(s, null, k, magnitude, RadixSelect.collectLimit(s.total));
        if (scan.outcome != Outcome.DONE) return new Result(scan.outcome, null, null);
        return new Result(Outcome.DONE, scan.selection(scan.select(k, magnitude)), null);
    }

    /** What one pass over the data found: the outcome, the count above the band, and the band per chunk. */
    private record Scan(Outcome outcome, long above, Band[] bands, int lo, int hi) {
        /**
         * The selection among the band's keys of the (k − A)-th largest, A = {@code above}:
         * one histogram of key − lo with about 16 keys per bucket (the band spans [lo,
         * hi], so the radix digits from the top would mostly fall in one bucket), then the
         * exact selection among the keys of the bucket that holds it ({@link
         * RadixSelect#selectAmong}, which also settles ties).
         */
        TopK.Selection select(long k, boolean magnitude) {
            long need = k - above, total = 0;
            for (Band band : bands) total += band.n;
            int width = hi - lo, shift = bucketShift(width, total >>> 4);
            int[] h = new int[(width >>> shift) + 1];
            for (Band band : bands) for (int j = 0; j < band.n; j++) h[(band.keys[j] - lo) >>> shift]++;
            int b = h.length - 1;
            long cum = 0;
            while (cum + h[b] < need) cum += h[b--];
            int[] in = new int[h[b]];
            int m = 0;
            for (Band band : bands) for (int j = 0; j < band.n; j++) if ((band.keys[j] - lo) >>> shift == b) in[m++] = band.keys[j];
            TopK.Selection sel = RadixSelect.selectAmong(in, need - cum, magnitude);
            return new TopK.Selection(sel.threshold(), cum + sel.above(), sel.tiesKept(), sel.ties());
        }

        /** The selection of the whole list, given the selection among the band's keys. */
        TopK.Selection selection(TopK.Selection inBand) {
            return new TopK.Selection(inBand.threshold(), above + inBand.above(), inBand.tiesKept(), inBand.ties());
        }
    }

    /**
     * Brackets τ from the sample, then one pass counts the keys above the band, gathers the
     * band (with flattened positions when {@code bits} is given, which then gets bit = [key
     * &gt; hi]) and checks for NaN keys. DONE when the band holds the k-th largest key and at
     * most {@code budget} entries.
     */
    private static Scan scan(FlatList s, long[] bits, long k, boolean magnitude, long budget) {
        // The bracket's first stage runs on this thread alone: the helpers wake meanwhile, for its second stage and the pass.
        Parallel.wake();
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
            if (bands[chunk] == null) bands[chunk] = new Band(left, bits != null);
            long[] ext = Simd.NATIVE_COMPRESS
                    ? compressPass(s.arrays[t], s.offsets[t], bits, s.starts[t], from, to, magnitude, lo, hi, bands[chunk])
                    : bits == null && magnitude
                    ? magnitudeReadPass(s.arrays[t], s.offsets[t], from, to, lo, hi, bands[chunk])
                    : pass(s.arrays[t], s.offsets[t], bits, s.starts[t], from, to, magnitude, loS, hiS, bands[chunk]);
            above[chunk] += ext[0];
            maxKey[chunk] = Math.max(maxKey[chunk], (int) ext[1]);
            minKey[chunk] = Math.min(minKey[chunk], (int) ext[2]);
        });
        // NaN keys: magnitude above +∞'s 0xFF000000; value above +∞'s 0xFF800000 or below −∞'s 0x007FFFFF (signed-shifted compares).
        for (int c = 0; c < chunks; c++) {
            if (magnitude ? maxKey[c] > (0xFF000000 ^ 0x80000000) : maxKey[c] > (0xFF800000 ^ 0x80000000) || minKey[c] < (0x007FFFFF ^ 0x80000000)) {
                return new Scan(Outcome.NAN, 0, bands, lo, hi);
            }
        }
        long a = 0, total = 0;
        // The band's selection runs on this thread alone; the caller's next pass is parallel.
        Parallel.wake();
        for (int c = 0; c < chunks; c++) {
            if (bands[c].overflow) return new Scan(Outcome.MISSED, 0, bands, lo, hi);
            a += above[c];
            total += bands[c].n;
        }
        if (!(a < k && k <= a + total)) return new Scan(Outcome.MISSED, 0, bands, lo, hi);
        return new Scan(Outcome.DONE, a, bands, lo, hi);
    }

    /**
     * Keys {lo, hi} (unsigned) bracketing the k-th largest key, from a fixed-stride sample in
     * two stages, for n ≥ {@link #MIN_N}. The sample ({@link Sample}): runs of consecutive
     * scores at P ≤ {@value #POINTS} points, R ≤ {@value #SAMPLE} keys in all. A point costs a
     * scattered read (a TLB miss and a memory latency), the rest of its run streams: at 10M
     * scores, 8,192 runs of 32 took 1.0–1.2 ms here, 512 of 512 on the caller alone 0.5–0.7
     * ms. Stage 1 runs on the caller while the helpers wake ({@link Parallel#wake}); stage 2
     * reads its runs on every thread, which took the bracket to 0.48–0.58 ms (medians of 150
     * calls in three processes, against 0.53–0.69 ms for the caller alone alternated with
     * them). (With the ForkJoinPool {@link Parallel} had before the spinning pool, two
     * threads were no faster: waking its parked worker cost as much as it saved.)
     *
     * <p>Stage 1, on the H = min({@value #HEAD}, run) keys at the head of each run (S₁ = H·P):
     * lo1 and hi1 bound the 14-bit buckets holding the entries at ranks pS₁ ∓ margin —
     * coarse, as stage 2 narrows it. (Stage 2's cost is mostly visiting the keys in [lo1, hi1],
     * a branch per vector that holds one: at 10M scores, 16 head keys and 12-bit buckets left
     * 6.3% of the sample there, 64 and 14-bit buckets 3.2%, and the bracket took 0.68 and
     * 0.53 ms.) Stage 2 reads the runs whole and keeps only what it needs: the count A of keys
     * above hi1 and the keys in [lo1, hi1]; hi and lo bound the keys at ranks pR ∓ margin
     * among those to the edges of their buckets in a histogram with about 8 such keys per
     * bucket (no exact selection: a bucket's width more costs a few band entries). If a
     * stage-2 rank falls outside [lo1, hi1], stage 1's bound stays.
     *
     * <p>Each margin is Zσ + 8 for the standard deviation σ of a sample rank ({@link
     * #rankSigma}): binomial were the keys independent, but keys of one run can be alike (a
     * layer's row of large weights), so the spread of the runs' own counts above the
     * estimate is used where it is larger.
     */
    static int[] bracket(FlatList s, long k, boolean magnitude) {
        long n = s.total;
        if (n < MIN_N) throw new IllegalStateException("the bracket samples lists of at least " + MIN_N + " scores, not " + n);
        Sample g = Sample.of(n);
        int points = g.points, run = g.run;
        double p = (double) k / n;
        // Stage 1: the head of every run.
        int heads = Math.min(HEAD, run);
        int[] head = new int[points * heads];
        for (int j = 0; j < points; j++) readKeys(s, g.start(j), heads, head, j * heads, magnitude);
        int[] h = new int[1 << STAGE1_BITS];
        for (int key : head) h[key >>> (32 - STAGE1_BITS)]++;
        // Sample ranks from the top, 0-based: hiRank's entry and everything above it bound "above hi".
        double est = p * head.length;
        // t: the bottom of the bucket holding the estimate, the threshold the runs' spread is counted at.
        int t = bucketAtRank(h, Math.min(head.length - 1, (long) est)) << (32 - STAGE1_BITS);
        int[] headCounts = new int[points];
        for (int j = 0; j < points; j++) headCounts[j] = countAtLeast(head, j * heads, (j + 1) * heads, t);
        double margin = Z * rankSigma(head.length, p, headCounts) + 8;
        long hiRank = (long) Math.floor(est - margin) - 1, loRank = (long) Math.ceil(est + margin);
        int hi1 = hiRank < 0 ? -1 : bucketAtRank(h, hiRank) << (32 - STAGE1_BITS) | -1 >>> STAGE1_BITS;
        int lo1 = loRank >= head.length ? 0 : bucketAtRank(h, loRank) << (32 - STAGE1_BITS);
        // Stage 2, over the whole runs: the keys above hi1 counted, those in [lo1, hi1] kept.
        int[] keys = SAMPLE_KEYS.get();
        if (keys.length < points * run) SAMPLE_KEYS.set(keys = new int[points * run]);
        // Run j's band keys go to keys[j·run ..] on whichever thread reads it, then move down
        // in run order: the same keys as one thread would gather, in the same order.
        int[] runCounts = new int[points], bandCounts = new int[points];
        long[] aboveRun = new long[points];
        int[] into = keys;
        Parallel.forChunks(points, STAGE2_GRAIN, (js, je) -> {
            int[] runKeys = new int[run];
            for (int j = js; j < je; j++) {
                readKeys(s, g.start(j), run, runKeys, 0, magnitude);
                runCounts[j] = countAtLeast(runKeys, 0, run, t);
                long r = compactBand(runKeys, run, lo1, hi1, into, j * run);
                aboveRun[j] = r & 0xFFFFFFFFL;
                bandCounts[j] = (int) (r >>> 32);
            }
        });
        long a = 0;
        int m = 0;
        for (int j = 0; j < points; j++) {
            a += aboveRun[j];
            System.arraycopy(keys, j * run, keys, m, bandCounts[j]);
            m += bandCounts[j];
        }
        long size = (long) points * run;
        est = p * size;
        margin = Z * rankSigma(size, p, runCounts) + 8;
        long hiIn = (long) Math.floor(est - margin) - 1 - a, loIn = (long) Math.ceil(est + margin) - a;
        int hi = hi1, lo = lo1;
        if (m == 0) return new int[] {lo, hi};
        // The stage-2 ranks' keys to a bucket of a histogram over [lo1, hi1] with about m/8
        // buckets: hi is the top edge of the bucket holding rank hiIn, lo the bottom edge of
        // the one holding loIn, so the band is about 8 sample keys wider on each side than
        // the exact keys would make it (of ~2,600 at p = 1/2), never narrower.
        int width = hi1 - lo1, shift = bucketShift(width, m >>> 3);
        int[] hb = new int[(width >>> shift) + 1];
        for (int j = 0; j < m; j++) hb[(keys[j] - lo1) >>> shift]++;
        if (hiIn >= 0 && hiIn < m) hi = (int) Math.min(Integer.toUnsignedLong(hi1), Integer.toUnsignedLong(lo1) + ((long) (bucketAtRank(hb, hiIn) + 1) << shift) - 1);
        if (loIn >= 0 && loIn < m) lo = lo1 + (bucketAtRank(hb, loIn) << shift);
        return new int[] {lo, hi};
    }

    /**
     * Where the bracket reads a list of n ≥ {@link #MIN_N} scores: R = min({@value #SAMPLE},
     * n/16) keys as P = min({@value #POINTS}, R/{@value #MIN_RUN}) runs of {@code run} (a
     * multiple of {@value #MIN_RUN}) consecutive scores; point j's run starts at j·stride +
     * stride/2, stride = n/P. As P·run ≤ n/16, a run never leaves the list.
     */
    private record Sample(int points, int run, long stride) {
        static Sample of(long n) {
            int keys = (int) Math.min(SAMPLE, n / 16);
            int points = Math.min(POINTS, keys / MIN_RUN);
            return new Sample(points, keys / points / MIN_RUN * MIN_RUN, n / points);
        }

        long start(int j) {
            return j * stride + stride / 2;
        }
    }

    /** Whether the bracket's sample reads flattened element i of a list of n scores. */
    static boolean sampled(long n, long i) {
        Sample g = Sample.of(n);
        long j = i / g.stride;
        if (j >= g.points) return false;
        long start = g.start((int) j);
        return i >= start && i < start + g.run;
    }

    /**
     * The standard deviation of a sample rank near p·size, i.e. of how many of the sample's
     * {@code size} keys lie above a threshold near τ: √(size·p(1−p)) were the keys independent
     * (binomial). The keys come in runs, and one run's keys can be alike; from the P runs'
     * counts c_j above such a threshold, in list order, the successive-difference estimate
     * √(P·Σ(c_{j+1} − c_j)² / (2(P − 1))) (the variance estimator for a systematic sample:
     * points in different layers differ, but neighbours mostly share one) covers that. The
     * larger of the two is taken.
     */
    private static double rankSigma(long size, double p, int[] runCounts) {
        int points = runCounts.length;
        double squares = 0;
        for (int j = 1; j < points; j++) {
            double step = runCounts[j] - runCounts[j - 1];
            squares += step * step;
        }
        double between = points > 1 ? points * squares / (2.0 * (points - 1)) : 0;
        return Math.sqrt(Math.max(size * p * (1 - p), between));
    }

    /** The keys of flattened elements [i, i + length) into keys[at, at + length); length a multiple of 16. */
    private static void readKeys(FlatList s, long i, int length, int[] keys, int at, boolean magnitude) {
        int t = s.tensorAt(i);
        int e = (int) (i - s.starts[t]), o = s.offsets[t] + e;
        float[] a = s.arrays[t];
        if (Simd.ENABLED && e + length <= s.lengths[t]) {
            for (int r = 0; r < length; r += F.length()) RadixSelect.keys(FloatVector.fromArray(F, a, o + r), magnitude).intoArray(keys, at + r);
            return;
        }
        for (int r = 0; r < length; r++) {
            while (i + r >= s.starts[t + 1]) t++;
            keys[at + r] = RadixSelect.key(s.arrays[t][s.offsets[t] + (int) (i + r - s.starts[t])], magnitude);
        }
    }

    /** How many of keys[from, to) are at least {@code t} (unsigned). */
    private static int countAtLeast(int[] keys, int from, int to, int t) {
        int count = 0, r = from, tS = t ^ 0x80000000;
        if (Simd.ENABLED) {
            for (int bound = from + I.loopBound(to - from); r < bound; r += I.length()) {
                count += IntVector.fromArray(I, keys, r).lanewise(VectorOperators.XOR, 0x80000000).compare(VectorOperators.GE, tS).trueCount();
            }
        }
        for (; r < to; r++) if ((keys[r] ^ 0x80000000) >= tS) count++;
        return count;
    }

    /**
     * Counts keys[0, length) above {@code hi} and appends those in [lo, hi], in order, to
     * {@code out} from {@code at} on; returns (band count &lt;&lt; 32) | count above.
     */
    private static long compactBand(int[] keys, int length, int lo, int hi, int[] out, int at) {
        long above = 0;
        int m = at, r = 0, hiS = hi ^ 0x80000000, loS = lo ^ 0x80000000;
        if (Simd.ENABLED) {
            // Half the keys lie above hi in no predictable order, so that is counted, not branched on.
            for (int bound = I.loopBound(length); r < bound; r += I.length()) {
                IntVector sk = IntVector.fromArray(I, keys, r).lanewise(VectorOperators.XOR, 0x80000000);
                VectorMask<Integer> up = sk.compare(VectorOperators.GT, hiS);
                above += up.trueCount();
                // Few vectors hold a band key: visiting the set bits beats a branch per lane.
                for (long in = sk.compare(VectorOperators.GE, loS).andNot(up).toLong(); in != 0; in &= in - 1) {
                    out[m++] = keys[r + Long.numberOfTrailingZeros(in)];
                }
            }
        }
        for (; r < length; r++) {
            int key = keys[r] ^ 0x80000000;
            if (key > hiS) above++;
            else if (key >= loS) out[m++] = keys[r];
        }
        return (long) (m - at) << 32 | above;
    }

    /** Per-thread room for the bracket's band keys from the sample (1 MB at most), reused from call to call. */
    private static final ThreadLocal<int[]> SAMPLE_KEYS = ThreadLocal.withInitial(() -> new int[0]);

    /**
     * The shift that spreads keys in [lo, lo + width] (unsigned) over about {@code count}
     * buckets (2^4 to 2^16): bucket = (key − lo) &gt;&gt;&gt; shift.
     */
    private static int bucketShift(int width, long count) {
        int log = (int) Math.max(4, Math.min(16, 64 - Long.numberOfLeadingZeros(count)));
        return Math.max(0, 32 - Integer.numberOfLeadingZeros(width) - log);
    }

    /** The bucket holding the entry of 0-based rank r counted from the largest. */
    private static int bucketAtRank(int[] h, long r) {
        long cum = 0;
        int d = h.length - 1;
        while (cum + h[d] <= r) cum += h[d--];
        return d;
    }

    /**
     * Per-thread room for one piece's band: a word of band lanes per 64 elements, then the
     * band's keys and indices (a vector more than a piece, as {@link #compressPass} stores
     * whole vectors).
     */
    private static final class Scratch {
        final long[] bandWords = new long[RadixSelect.MASK_GRAIN / 64];
        final int[] bandKeys = new int[RadixSelect.MASK_GRAIN + I.length()], bandAt = new int[RadixSelect.MASK_GRAIN + I.length()];
    }

    private static final ThreadLocal<Scratch> SCRATCH = ThreadLocal.withInitial(Scratch::new);

    /**
     * One chunk's band entries: keys and, when asked for, flattened positions, in flattened
     * order. Package-private for tests, which run both read passes on one range and compare.
     */
    static final class Band {
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

        /** Appends {@code count} entries of one tensor: keys, and element indices after {@code base}. */
        void addAll(int[] k, int[] at, int count, long base) {
            if (!reserve(count)) return;
            System.arraycopy(k, 0, keys, n, count);
            if (where != null) for (int j = 0; j < count; j++) where[n + j] = base + at[j];
            n += count;
        }

        void add(int key, long position) {
            if (!reserve(1)) return;
            keys[n] = key;
            if (where != null) where[n] = position;
            n++;
        }
    }

    /**
     * {@link #pass} for {@link #select} by magnitude: no bits, band keys without positions,
     * in as few vector instructions as it can. The pass is bound by memory latency: the core
     * holds only so many instructions in flight, so fewer per vector keep more loads in
     * flight. A magnitude key is |x|'s bits shifted left (b = bits &amp; 0x7FFFFFFF, key = 2b),
     * so the pass compares b itself, non-negative, with plain signed compares: key &gt; hi ⇔
     * b &gt; ⌊hi/2⌋ and key ≥ lo ⇔ b &gt; ⌈lo/2⌉ − 1. Two vectors per step: lanes above hi
     * go to per-lane counters, and one test of both vectors' band lanes (about 15% of steps at
     * 1% of n in the band) sends their band keys out. A NaN has b &gt; +∞'s 0x7F800000, so
     * the largest b finds it. Returns {count above hi, the largest sign-flipped key, +∞ as
     * the smallest}, as {@link #pass} does for magnitude. On AVX-512 {@link #compressPass}
     * runs instead: the band test's branch, not the instruction count, was what held the
     * loads back there.
     */
    static long[] magnitudeReadPass(float[] a, int ao, int from, int to, int lo, int hi, Band out) {
        int hiB = hi >>> 1, loB = (int) ((Integer.toUnsignedLong(lo) + 1) >>> 1) - 1;
        int i = from, L = I.length();
        long above = 0;
        int maxB = 0;
        if (Simd.ENABLED) {
            int[] ck = SCRATCH.get().bandKeys;
            int c = 0;
            IntVector hv = IntVector.broadcast(I, hiB), lv = IntVector.broadcast(I, loB), count = IntVector.zero(I), vmax = IntVector.zero(I);
            for (int bound = from + (to - from) / (2 * L) * (2 * L); i < bound; i += 2 * L) {
                IntVector b0 = FloatVector.fromArray(F, a, ao + i).reinterpretAsInts().lanewise(VectorOperators.AND, 0x7FFFFFFF);
                IntVector b1 = FloatVector.fromArray(F, a, ao + i + L).reinterpretAsInts().lanewise(VectorOperators.AND, 0x7FFFFFFF);
                VectorMask<Integer> up0 = b0.compare(VectorOperators.GT, hv), up1 = b1.compare(VectorOperators.GT, hv);
                count = count.sub(up0.toVector()).sub(up1.toVector());
                VectorMask<Integer> in0 = b0.compare(VectorOperators.GT, lv).andNot(up0), in1 = b1.compare(VectorOperators.GT, lv).andNot(up1);
                // Both vectors' band lanes in one word: 2L ≤ 32 bits (Simd.F is at most 512-bit, L ≤ 16).
                if (in0.or(in1).anyTrue()) {
                    for (long m = in0.toLong() | in1.toLong() << L; m != 0; m &= m - 1) ck[c++] = RadixSelect.key(a[ao + i + Long.numberOfTrailingZeros(m)], true);
                }
                vmax = vmax.max(b0).max(b1);
            }
            above = count.reduceLanesToLong(VectorOperators.ADD);
            maxB = vmax.reduceLanes(VectorOperators.MAX);
            out.addAll(ck, null, c, 0);
        }
        for (; i < to; i++) {
            int b = Float.floatToRawIntBits(a[ao + i]) & 0x7FFFFFFF;
            if (b > hiB) above++;
            else if (b > loB) out.add(b << 1, 0);
            maxB = Math.max(maxB, b);
        }
        return new long[] {above, (maxB << 1) ^ 0x80000000, Integer.MAX_VALUE};
    }

    /**
     * Over elements [from, to) of one tensor whose element 0 is flattened bit {@code base}:
     * bit = [key &gt; hi] (unless bits is null), band entries added to {@code out}; returns
     * {count above hi, the largest and the smallest sign-flipped key}. The vector loop takes
     * 64 elements at a time, so their bits go out as one word.
     */
    static long[] pass(float[] a, int ao, long[] bits, long base, int from, int to, boolean magnitude, int loS, int hiS, Band out) {
        int i = from;
        long above = 0;
        int max = Integer.MIN_VALUE, min = Integer.MAX_VALUE;
        if (Simd.ENABLED) {
            Scratch scratch = SCRATCH.get();
            long[] bandWords = scratch.bandWords;
            int words = 0;
            IntVector vmax = IntVector.broadcast(I, Integer.MIN_VALUE), vmin = IntVector.broadcast(I, Integer.MAX_VALUE);
            for (; i + 64 <= to; i += 64) {
                long upWord = 0, loWord = 0;
                for (int v = 0; v < 64; v += F.length()) {
                    IntVector sk = RadixSelect.keys(FloatVector.fromArray(F, a, ao + i + v), magnitude).lanewise(VectorOperators.XOR, 0x80000000);
                    upWord |= sk.compare(VectorOperators.GT, hiS).toLong() << v;
                    loWord |= sk.compare(VectorOperators.GE, loS).toLong() << v;
                    vmax = vmax.max(sk);
                    vmin = vmin.min(sk);
                }
                above += Long.bitCount(upWord);
                if (bits != null) FlatBits.or(bits, base + i, upWord);
                // The band's lanes, gathered below without a branch here: ~3 words in 4 hold one.
                bandWords[words++] = loWord & ~upWord;
            }
            for (int j = 0; j < I.length(); j++) {
                max = Math.max(max, vmax.lane(j));
                min = Math.min(min, vmin.lane(j));
            }
            // The band entries' keys, reread from the piece just streamed (it is still in L2).
            int[] ck = scratch.bandKeys, cp = scratch.bandAt;
            int c = 0;
            for (int w = 0; w < words; w++) {
                int at = from + 64 * w;
                for (long inBand = bandWords[w]; inBand != 0; inBand &= inBand - 1) {
                    int e = at + Long.numberOfTrailingZeros(inBand);
                    ck[c] = RadixSelect.key(a[ao + e], magnitude);
                    cp[c++] = e;
                }
            }
            out.addAll(ck, cp, c, base);
        }
        for (; i < to; i++) {
            int k = RadixSelect.key(a[ao + i], magnitude), sk = k ^ 0x80000000;
            if (sk > hiS) {
                above++;
                if (bits != null) FlatBits.set(bits, base + i);
            } else if (sk >= loS) {
                out.add(k, base + i);
            }
            max = Math.max(max, sk);
            min = Math.min(min, sk);
        }
        return new long[] {above, max, min};
    }

    /**
     * {@link #pass} without a data-dependent branch, for CPUs where compress is one
     * instruction ({@link Simd#NATIVE_COMPRESS}); the same results, for either rank, with or
     * without bits. Takes the band's bounds {@code lo} and {@code hi} as unsigned keys.
     *
     * <p>Why: about one 16-lane vector in seven holds a band key (1% of n), in no predictable
     * order, so the branch that visits them is mispredicted about as often, and each
     * misprediction throws away the loads in flight behind it. Streaming 10M scores from
     * memory, that made the passes that branch 1.5–2× slower than their arithmetic (measured
     * here, medians on one thread: a read pass with a branch per two vectors 4.1–5.5 ns a
     * vector, the same pass compressing every vector 3.7 ns, a plain sum 1.8–2.8 ns). So every
     * vector's band lanes are compressed to the front and stored whole at the band's end,
     * keys and (with bits) indices, and the end moves by the lane count: a band lane is lo ≤
     * key ≤ hi, i.e. key − lo &lt; hi − lo + 1 unsigned. Above hi, the bits and the extremes
     * are as in {@link #pass}. When [lo, hi] is every key (hi − lo + 1 wraps to 0) it is
     * {@link #pass}.
     */
    static long[] compressPass(float[] a, int ao, long[] bits, long base, int from, int to, boolean magnitude, int lo, int hi, Band out) {
        int span = hi - lo + 1, loS = lo ^ 0x80000000, hiS = hi ^ 0x80000000;
        if (span == 0 || !Simd.ENABLED) return pass(a, ao, bits, base, from, to, magnitude, loS, hiS, out);
        int i = from, c = 0, L = I.length();
        long above = 0;
        boolean positions = out.where != null;
        Scratch scratch = SCRATCH.get();
        int[] ck = scratch.bandKeys, cp = scratch.bandAt;
        IntVector lanes = IntVector.zero(I).addIndex(1);
        IntVector vmax = IntVector.broadcast(I, Integer.MIN_VALUE), vmin = IntVector.broadcast(I, Integer.MAX_VALUE);
        for (; i + 64 <= to; i += 64) {
            long upWord = 0;
            for (int v = 0; v < 64; v += L) {
                IntVector key = RadixSelect.keys(FloatVector.fromArray(F, a, ao + i + v), magnitude);
                IntVector sk = key.lanewise(VectorOperators.XOR, 0x80000000);
                upWord |= sk.compare(VectorOperators.GT, hiS).toLong() << v;
                VectorMask<Integer> in = key.sub(lo).compare(VectorOperators.ULT, span);
                key.compress(in).intoArray(ck, c);
                if (positions) lanes.add(i + v).compress(in).intoArray(cp, c);
                c += in.trueCount();
                vmax = vmax.max(sk);
                vmin = vmin.min(sk);
            }
            above += Long.bitCount(upWord);
            if (bits != null) FlatBits.or(bits, base + i, upWord);
        }
        out.addAll(ck, cp, c, base);
        long[] tail = pass(a, ao, bits, base, i, to, magnitude, loS, hiS, out);
        return new long[] {above + tail[0], Math.max(vmax.reduceLanes(VectorOperators.MAX), (int) tail[1]), Math.min(vmin.reduceLanes(VectorOperators.MIN), (int) tail[2])};
    }
}
