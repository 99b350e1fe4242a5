package dev.lethe.surgery;

import dev.lethe.nn.Module;
import dev.lethe.tensor.Tensor;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Weight-saliency masks (SalUn): keep the top fraction r of the entries by a score.
 *
 * <p>With n entries in scope (all tensors for {@link Scope#GLOBAL}, one tensor for {@link
 * Scope#PER_TENSOR}), k = ⌊r·n⌋ entries are kept — the same count as PyTorch's
 * {@code int(r * n)} with {@code torch.topk} — and the mask is m_i = 1 for the kept entries, 0
 * elsewhere, one float32 tensor per score tensor with its shape. Which entries are kept on
 * ties is {@link TopK}'s rule (strictly above the threshold, then the threshold-equal ones in
 * flattened order).
 *
 * <p>SalUn's mask: g = Σ_batches ∇θ(−CE on D_f) over every parameter (weights, biases, norm
 * layers), scores |g|, global, r = 0.5 ({@link #forModel}).
 */
public final class SaliencyMask {
    /** SalUn's default kept fraction: the median of |g|. */
    public static final double DEFAULT_FRACTION = 0.5;

    private SaliencyMask() {}

    /**
     * k = ⌊r·n⌋ (r·n computed in float64, as PyTorch's {@code int(r * n)}).
     *
     * @throws IllegalArgumentException if r is NaN or outside [0, 1], or n &lt; 0
     */
    public static long keepCount(long n, double r) {
        checkFraction("saliency mask", r);
        if (n < 0) throw new IllegalArgumentException("saliency mask: n must be ≥ 0, got " + n);
        return (long) (r * n);
    }

    /**
     * Masks keeping the top fraction r of {@code scores} ranked by value (larger = kept first;
     * scores of any sign, ±∞ allowed).
     *
     * @throws IllegalArgumentException if r is outside [0, 1], a tensor is not float32, or a
     *         score is NaN (naming its tensor and element)
     */
    public static List<Tensor> fromScores(List<Tensor> scores, double r, Scope scope) {
        return topFraction(scores, r, scope, TopK.Rank.VALUE);
    }

    /**
     * Masks keeping the top fraction r of the gradients by magnitude |g| (|g| is compared on
     * the fly, never stored).
     *
     * @throws IllegalArgumentException if r is outside [0, 1], a tensor is not float32, or a
     *         gradient is NaN (naming its tensor and element)
     */
    public static List<Tensor> fromGradients(List<Tensor> grads, double r, Scope scope) {
        return topFraction(grads, r, scope, TopK.Rank.MAGNITUDE);
    }

    /**
     * SalUn's mask for every parameter of {@code model} from the gradient it holds now
     * ({@code .grad()}, e.g. Σ_batches ∇θ(−CE on D_f) accumulated by backward): top fraction r
     * of |g|, named as {@link Module#namedParameters()}.
     *
     * @throws IllegalArgumentException if a parameter has no gradient (naming it), or as
     *         {@link #fromGradients}
     */
    public static ParameterMasks forModel(Module model, double r, Scope scope) {
        List<String> names = new ArrayList<>();
        List<Tensor> grads = new ArrayList<>();
        for (Map.Entry<String, Tensor> e : model.namedParameters().entrySet()) {
            Tensor g = e.getValue().grad();
            if (g == null) throw new IllegalArgumentException("saliency mask: parameter '" + e.getKey() + "' has no gradient; run backward first");
            names.add(e.getKey());
            grads.add(g);
        }
        return masksFromGradients(names, grads, r, scope);
    }

    /**
     * Masks named {@code names} keeping the top fraction r of {@code grads} by |g|, as {@link
     * #fromGradients} keeps them, held as bits (see {@link ParameterMasks}): the masks are
     * written as bits while the gradients are read, a 32nd of the bytes of float32 masks.
     *
     * @throws IllegalArgumentException if the lists differ in length, or as {@link #fromGradients}
     */
    public static ParameterMasks masksFromGradients(List<String> names, List<Tensor> grads, double r, Scope scope) {
        return bitMasks(names, grads, r, scope, TopK.Rank.MAGNITUDE);
    }

    /**
     * Masks named {@code names} keeping the top fraction r of {@code scores} by value, as
     * {@link #fromScores} keeps them, held as bits (see {@link #masksFromGradients}).
     *
     * @throws IllegalArgumentException if the lists differ in length, or as {@link #fromScores}
     */
    public static ParameterMasks masksFromScores(List<String> names, List<Tensor> scores, double r, Scope scope) {
        return bitMasks(names, scores, r, scope, TopK.Rank.VALUE);
    }

    private static ParameterMasks bitMasks(List<String> names, List<Tensor> scores, double r, Scope scope, TopK.Rank rank) {
        checkFraction("saliency mask", r);
        FlatList s = FlatList.input("saliency mask", "scores", scores);
        if (names == null || names.size() != s.size()) {
            throw new IllegalArgumentException("saliency mask: " + (names == null ? "no" : names.size()) + " names for " + s.size() + " score tensors");
        }
        return ParameterMasks.ofBits(names, s, TopK.packedMasks(s.groups(scope), n -> (long) (r * n), rank));
    }

    /** Fresh tensors |g| for each gradient (a score list for {@link #fromScores} or reports). */
    public static List<Tensor> absScores(List<Tensor> grads) {
        List<Tensor> out = new ArrayList<>(grads.size());
        for (Tensor g : grads) out.add(g.abs().detach());
        return out;
    }

    /**
     * The fraction of ones in each mask (kept / size; 0 for an empty tensor), for reports.
     */
    public static double[] keptFractions(List<Tensor> masks) {
        double[] out = new double[masks.size()];
        for (int t = 0; t < out.length; t++) {
            Tensor m = masks.get(t);
            out[t] = m.numel() == 0 ? 0 : ParameterMasks.countOnes(m) / (double) m.numel();
        }
        return out;
    }

    static List<Tensor> topFraction(List<Tensor> scores, double r, Scope scope, TopK.Rank rank) {
        checkFraction("saliency mask", r);
        FlatList s = FlatList.input("saliency mask", "scores", scores);
        List<Tensor> masks = TopK.zerosLike("saliency mask", scores);
        FlatList m = FlatList.output("saliency mask", "masks", masks);
        maskTopFraction(s, m, r, scope, rank);
        return masks;
    }

    /** Writes the top-fraction masks of {@code s} into {@code m} (checked lists of equal shapes). */
    static void maskTopFraction(FlatList s, FlatList m, double r, Scope scope, TopK.Rank rank) {
        FlatList[] sg = s.groups(scope), mg = m.groups(scope);
        for (int g = 0; g < sg.length; g++) TopK.maskInto(sg[g], mg[g], (long) (r * sg[g].total), rank);
    }

    /** @throws IllegalArgumentException naming {@code op} and r unless r ∈ [0, 1] */
    static void checkFraction(String op, double r) {
        if (!(r >= 0 && r <= 1)) throw new IllegalArgumentException(op + ": fraction must be in [0, 1], got " + r);
    }
}
