package dev.lethe.surgery;

import dev.lethe.cpu.Simd;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * The pruning step once the threshold is known: keeps a list's top-k entries in place and
 * zeroes the others, w ← w ⊙ m, writing m as bits ({@link FlatBits}) in the same pass.
 *
 * <p>Given the selection (τ, the count above it and how many τ-equal entries are kept; {@link
 * TopK.Selection}), one pass reads w, sets bit = [score ≥ τ] (by the order-preserving key,
 * {@link RadixSelect#key}) and writes back w where the bit is set and +0 elsewhere. That keeps
 * every τ-equal entry. If more exist than the selection keeps ({@link TopK.Selection#ties}
 * &gt; tiesKept), the pass also counts them per chunk, the kept quota is handed out in chunk
 * order ({@link RadixSelect#dropLaterTies}), and only the chunks that drop some are read again,
 * their later τ-equal entries cleared and zeroed: {@link TopK}'s rule, the earliest in
 * flattened order stay. With distinct scores τ is a single entry and the pass does no more
 * than compare; 10^8 weights drawn from a uniform float distribution hold a few copies of τ's
 * value.
 *
 * <p>Traffic: w read and written once and n/8 bytes of bits written, a copy's traffic.
 */
final class KeepTop {
    private static final VectorSpecies<Float> F = Simd.F;
    private static final int L = F.length();

    private KeepTop() {}

    /**
     * Keeps the entries {@code sel} selects from {@code w} (ranked by |w| when {@code
     * magnitude}) and zeroes the rest, in place; returns the mask as bits over the flattened
     * list. For a selection of k ≥ 1 (k = 0's τ = +∞ would keep infinite scores; {@link
     * TopK#keepTop} zeroes those groups itself); the scores must hold no NaN (the selection
     * refused them).
     *
     * @throws IllegalStateException if the pass kept other than above + ties entries (the
     *         selection does not describe w); w is then already partly zeroed
     */
    static long[] keepInPlace(FlatList w, TopK.Selection sel, boolean magnitude) {
        long[] bits = FlatBits.allocate(w.total);
        int tau = RadixSelect.key(sel.threshold(), magnitude);
        int chunks = w.chunkCount(RadixSelect.MASK_GRAIN);
        long[] kept = new long[chunks], equal = new long[chunks];
        // Ties are counted per chunk only when some must be dropped.
        boolean countTies = sel.ties() > sel.tiesKept();
        w.forPieces(RadixSelect.MASK_GRAIN, (c, t, from, to) -> {
            long counts = keepPiece(w.arrays[t], w.offsets[t], bits, w.starts[t], from, to, tau, magnitude, countTies);
            kept[c] += counts & 0xFFFFFFFFL;
            equal[c] += counts >>> 32;
        });
        long total = 0;
        for (long n : kept) total += n;
        if (total != sel.above() + sel.ties()) {
            throw new IllegalStateException("top-k: the pass kept " + total + " entries at τ = " + sel.threshold() + ", not the " + sel.above() + " above it and its " + sel.ties() + " ties");
        }
        // A zeroed entry can share τ's key (+0 at τ = 0 by value), so a kept τ-equal entry is
        // one whose bit is set too.
        if (countTies) {
            RadixSelect.dropLaterTies(w, sel, equal, (t, i, f) -> RadixSelect.key(w.arrays[t][w.offsets[t] + i], magnitude) == tau && FlatBits.get(bits, f), (t, i, f) -> {
                FlatBits.clear(bits, f);
                w.arrays[t][w.offsets[t] + i] = 0f;
            });
        }
        return bits;
    }

    /**
     * Over elements [from, to) of one tensor whose element 0 is flattened bit {@code base}:
     * bit = [key ≥ τ] and a[i] ← bit ? a[i] : +0; returns (τ-equal count &lt;&lt; 32) | set bits
     * (a piece holds at most a chunk, 2^16 elements). The vector loop takes 64 elements at a
     * time, so their bits go out as one word; a vector holding a τ-equal lane is rare (with
     * distinct scores, one in the whole list), so it is tested, not counted, per vector.
     */
    private static long keepPiece(float[] a, int ao, long[] bits, long base, int from, int to, int tau, boolean magnitude, boolean countTies) {
        // By magnitude the vector loop compares |x|'s bits b (key = 2b, τ's key even) as
        // non-negative ints: key ≥ τ ⇔ b ≥ τ/2, one AND and one compare per vector.
        int tauS = tau ^ 0x80000000, vectorTau = magnitude ? tau >>> 1 : tauS, i = from;
        long kept = 0, equal = 0;
        if (Simd.ENABLED) {
            FloatVector zero = FloatVector.zero(F);
            for (; i + 64 <= to; i += 64) {
                long word = 0;
                for (int v = 0; v < 64; v += L) {
                    FloatVector x = FloatVector.fromArray(F, a, ao + i + v);
                    IntVector rank = magnitude
                            ? x.reinterpretAsInts().lanewise(VectorOperators.AND, 0x7FFFFFFF)
                            : RadixSelect.keys(x, false).lanewise(VectorOperators.XOR, 0x80000000);
                    VectorMask<Integer> keep = rank.compare(VectorOperators.GE, vectorTau);
                    if (countTies) {
                        VectorMask<Integer> tie = rank.compare(VectorOperators.EQ, vectorTau);
                        if (tie.anyTrue()) equal += tie.trueCount();
                    }
                    word |= keep.toLong() << v;
                    zero.blend(x, keep.cast(F)).intoArray(a, ao + i + v);
                }
                kept += Long.bitCount(word);
                FlatBits.or(bits, base + i, word);
            }
        }
        for (; i < to; i++) {
            int key = RadixSelect.key(a[ao + i], magnitude);
            if ((key ^ 0x80000000) >= tauS) {
                FlatBits.set(bits, base + i);
                kept++;
                if (key == tau) equal++;
            } else {
                a[ao + i] = 0f;
            }
        }
        return equal << 32 | kept;
    }
}
