package dev.lethe.surgery;

import dev.lethe.tensor.Tensor;

import java.util.ArrayList;
import java.util.List;
import java.util.function.LongUnaryOperator;

/**
 * Top-k selection over a list of float32 score tensors seen as one flattened vector, in O(n)
 * without sorting (radix select on the float bits), and the 0/1 masks it defines.
 *
 * <p><b>What is kept.</b> Let s be the flattened scores (tensor 0 row-major, then tensor 1,
 * ...) ranked by {@link Rank}. The threshold τ is the k-th largest score. Exactly k entries are
 * kept: every entry with s_i &gt; τ, then the entries with s_i = τ in flattened order (lowest
 * tensor index first, then lowest row-major element index) until k are kept. So the result
 * is deterministic, and with ties the earlier entries win.
 *
 * <p><b>Values.</b> ±∞ are allowed and order as usual; −0 and +0 are equal; a NaN score is an
 * error ({@link IllegalArgumentException} naming the tensor and element), found before any
 * mask is written. k = 0 keeps nothing, k = n keeps everything.
 *
 * <p>Per-tensor selection is this class applied to a one-element list (see {@link
 * SaliencyMask} and {@link MagnitudePruning}). {@link SurgeryReference#topKMask} is the plain
 * sort-based version the tests compare against.
 */
public final class TopK {
    private TopK() {}

    /** How scores are ranked. */
    public enum Rank {
        /** By the value itself: −∞ &lt; ... &lt; −0 = +0 &lt; ... &lt; +∞. */
        VALUE,
        /** By the absolute value |x| (magnitude pruning, saliency of a gradient). */
        MAGNITUDE
    }

    /**
     * The outcome of a selection: the threshold τ (the k-th largest score, as a rank value: |x|
     * for {@link Rank#MAGNITUDE}), how many entries lie strictly above it, how many τ-equal
     * entries were kept, and how many entries equal τ in all (kept or not; tiesKept ≤ ties).
     * k = above + tiesKept. For k = 0, τ = +∞ and all three counts are 0.
     */
    public record Selection(float threshold, long above, long tiesKept, long ties) {
        /** The number of kept entries. */
        public long k() {
            return above + tiesKept;
        }

        /**
         * How many τ-equal entries each chunk keeps, given how many each holds ({@code equal},
         * chunks in flattened order): the {@link #tiesKept} quota handed out in chunk order,
         * so the earliest ties are kept.
         */
        long[] tieQuota(long[] equal) {
            long quota = tiesKept;
            long[] keep = new long[equal.length];
            for (int c = 0; c < equal.length; c++) {
                keep[c] = Math.min(quota, equal[c]);
                quota -= keep[c];
            }
            return keep;
        }
    }

    /**
     * The k-th largest score of the flattened {@code scores} and the counts defining the kept
     * set, without writing a mask. O(n): one histogram pass over the top 12 (16 from 2^21
     * scores) bits of each score's order-preserving key, then the candidates of the chosen
     * bucket only; from 2^16 scores a sample-bracketed vectorised pass first (see {@link
     * RadixSelect}).
     *
     * @throws IllegalArgumentException if a tensor is not float32, k is outside [0, n], or a
     *         score is NaN (naming its tensor and element)
     */
    public static Selection select(List<Tensor> scores, long k, Rank rank) {
        return select(FlatList.input("top-k", "scores", scores), k, rank);
    }

    static Selection select(FlatList s, long k, Rank rank) {
        checkK(k, s.total);
        if (k == 0) return keepNothing(s);
        return RadixSelect.select(s, k, rank == Rank.MAGNITUDE);
    }

    /**
     * Writes the top-k mask of {@code scores} into {@code masks} (float32, same shapes,
     * contiguous): 1 for each of the k kept entries, 0 elsewhere. For n ≥ 2^16: a sample
     * brackets τ, one pass reads the scores, writes the mask as bits outside the bracket and
     * gathers the few entries inside it, which are then selected exactly and their bits set
     * ({@link SampledSelect#packed}); the bits are then written out as floats. If the sample
     * missed, or too many entries share the bracket, or for fewer scores: one histogram pass,
     * the bucket's candidates, and one compare-and-blend pass writing the masks (plus, only
     * when some τ-equal entries must be dropped, a pass over the chunks that hold them).
     * Either way the masks are the same.
     *
     * @return the selection
     * @throws IllegalArgumentException for mismatched lists (naming the tensor and both
     *         shapes), masks sharing storage with the scores, or k outside [0, n] (no mask is
     *         written then), or a NaN score (masks untouched)
     */
    public static Selection maskInto(List<Tensor> scores, long k, Rank rank, List<Tensor> masks) {
        FlatList s = FlatList.input("top-k", "scores", scores);
        FlatList m = FlatList.output("top-k", "masks", masks);
        s.requireSameShapes("top-k", "scores", m, "masks");
        // The mask pass rereads scores after writing masks: they must not overlap.
        for (int j = 0; j < m.size(); j++) {
            for (int i = 0; i < s.size(); i++) {
                if (m.tensors.get(j).storage() == s.tensors.get(i).storage()) {
                    throw new IllegalArgumentException("top-k: masks tensor " + j + " shares storage with scores tensor " + i + "; write the masks elsewhere");
                }
            }
        }
        return maskInto(s, m, k, rank);
    }

    /** {@link #maskInto(List, long, Rank, List)} on checked lists of equal shapes. */
    static Selection maskInto(FlatList s, FlatList m, long k, Rank rank) {
        checkK(k, s.total);
        Selection sel;
        if (k == 0) {
            sel = keepNothing(s);
            RadixSelect.fill(m, 0f);
        } else {
            sel = RadixSelect.selectAndMask(s, m, k, rank == Rank.MAGNITUDE);
        }
        m.bumpVersions();
        return sel;
    }

    /** A top-k mask as bits over the flattened scores ({@link FlatBits}), with its selection. */
    record Bits(Selection selection, long[] bits) {}

    /**
     * The top-k mask of {@code s} as bits: the entries {@link #maskInto} keeps, with a 32nd of
     * the bytes to write. The scores are only read; a NaN is refused before anything is
     * returned. From {@link SampledSelect#MIN_N} scores one pass ({@link
     * SampledSelect#packed}); otherwise, or if its sample missed, the radix path's float mask
     * in a scratch list, packed.
     */
    static Bits packedMask(FlatList s, long k, Rank rank) {
        checkK(k, s.total);
        boolean magnitude = rank == Rank.MAGNITUDE;
        if (k == 0) return new Bits(keepNothing(s), FlatBits.allocate(s.total));
        if (s.total >= SampledSelect.MIN_N) {
            Bits p = RadixSelect.packed(s, k, magnitude);
            if (p != null) return p;
        }
        FlatList m = FlatList.output("top-k", "masks", zerosLike("top-k", s.tensors));
        Selection sel = RadixSelect.radixSelectAndMask(s, m, k, magnitude);
        return new Bits(sel, FlatBits.pack(m));
    }

    /** {@link #packedMask} of each group's scores, keeping {@code keep(n)} of a group's n. */
    static long[][] packedMasks(FlatList[] groups, LongUnaryOperator keep, Rank rank) {
        long[][] bits = new long[groups.length][];
        for (int g = 0; g < groups.length; g++) bits[g] = packedMask(groups[g], keep.applyAsLong(groups[g].total), rank).bits();
        return bits;
    }

    /**
     * Keeps {@code keep(n)} of each group's n entries of {@code w} in place by {@code rank}
     * (the groups {@link FlatList#groups} makes for {@code scope}) and zeroes the others
     * (w ← w ⊙ m: the kept entries untouched, the others +0); returns each group's mask as
     * bits, the entries {@link #maskInto} would keep. Every group is selected first, only
     * reading ({@link #select}), so a NaN anywhere is refused before any entry changes; then
     * one pass per group reads and writes w once and writes the bits ({@link KeepTop}).
     *
     * @throws IllegalArgumentException if two tensors overlap in storage (one pass's zeros
     *         would change what another group selected), a group's k is outside [0, n], or on
     *         a NaN score
     */
    static long[][] keepTop(FlatList w, Scope scope, LongUnaryOperator keep, Rank rank) {
        requireDisjoint(w);
        FlatList[] groups = w.groups(scope);
        Selection[] sel = new Selection[groups.length];
        for (int g = 0; g < groups.length; g++) sel[g] = select(groups[g], keep.applyAsLong(groups[g].total), rank);
        long[][] bits = new long[groups.length][];
        for (int g = 0; g < groups.length; g++) {
            try {
                if (sel[g].k() == 0) {
                    RadixSelect.fill(groups[g], 0f);
                    bits[g] = FlatBits.allocate(groups[g].total);
                } else {
                    bits[g] = KeepTop.keepInPlace(groups[g], sel[g], rank == Rank.MAGNITUDE);
                }
            } finally {
                groups[g].bumpVersions();
            }
        }
        return bits;
    }

    /** Refuses tensors of {@code w} whose elements overlap in one storage (a parameter listed twice). */
    private static void requireDisjoint(FlatList w) {
        for (int a = 0; a < w.size(); a++) {
            for (int b = a + 1; b < w.size(); b++) {
                if (w.arrays[a] == w.arrays[b] && FlatList.overlap(w.offsets[a], w.lengths[a], w.offsets[b], w.lengths[b])) {
                    throw new IllegalArgumentException("top-k: tensors " + w.index(a) + " and " + w.index(b)
                            + " share elements in one storage; list each tensor once to zero entries in place");
                }
            }
        }
    }

    /** {@link #maskInto} into fresh float32 masks of the scores' shapes. */
    public static List<Tensor> mask(List<Tensor> scores, long k, Rank rank) {
        List<Tensor> masks = zerosLike("top-k", scores);
        maskInto(scores, k, rank, masks);
        return masks;
    }

    /** Fresh float32 zeros shaped like each tensor of {@code like}. */
    static List<Tensor> zerosLike(String op, List<Tensor> like) {
        if (like == null) throw new IllegalArgumentException(op + ": the list of tensors is null");
        List<Tensor> out = new ArrayList<>(like.size());
        for (int t = 0; t < like.size(); t++) {
            if (like.get(t) == null) throw new IllegalArgumentException(op + ": tensor " + t + " is null");
            out.add(Tensor.zeros(like.get(t).shape()));
        }
        return out;
    }

    /** The selection of k = 0 (τ = +∞, nothing kept), after refusing a NaN score. */
    private static Selection keepNothing(FlatList s) {
        RadixSelect.requireNoNaN("top-k", s);
        return new Selection(Float.POSITIVE_INFINITY, 0, 0, 0);
    }

    private static void checkK(long k, long n) {
        if (k < 0 || k > n) throw new IllegalArgumentException("top-k: k = " + k + " is outside [0, " + n + "] (the number of scores)");
    }
}
