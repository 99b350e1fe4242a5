package dev.lethe.surgery;

import dev.lethe.nn.Module;
import dev.lethe.tensor.Tensor;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiPredicate;
import java.util.function.LongUnaryOperator;

/**
 * Magnitude pruning of chosen weights: one-shot (OMP) and iterative (IMP) with rewinding.
 *
 * <p><b>One-shot.</b> Of the n weights in scope (all chosen tensors for {@link Scope#GLOBAL},
 * each tensor alone for {@link Scope#PER_TENSOR}), the p = ⌊s·n⌋ smallest |w| are pruned
 * (PyTorch's {@code int(s * n)}): the mask keeps the n − p largest |w| by {@link TopK}'s rule
 * (on ties at the threshold, the earlier entries in flattened order are kept, the later ones
 * pruned). Pruning sets w ← w ⊙ m in place; {@link ParameterMasks#installOn} then keeps the
 * pruned weights at 0 through training.
 *
 * <p><b>Which weights.</b> By default {@link #WEIGHTS}: parameters with at least two dimensions
 * — the weights of Linear ([out, in]) and Conv2d ([out, in, kh, kw]) — never biases or
 * BatchNorm/LayerNorm parameters (one dimension).
 *
 * <p><b>Iterative.</b> Each round prunes a rate p of the weights still kept (⌊p·R⌋ of the R
 * remaining, by |w| among them only; pruned weights stay pruned), so after k rounds the
 * sparsity is 1 − (1 − p)^k up to the floors ({@link #sparsityAfter}); between rounds the
 * weights are rewound to an early state with the mask kept ({@link #rewind}).
 */
public final class MagnitudePruning {
    /** The default choice of prunable parameters: those with dim ≥ 2 (Linear and Conv2d weights). */
    public static final BiPredicate<String, Tensor> WEIGHTS = (name, p) -> p.dim() >= 2;

    private MagnitudePruning() {}

    /**
     * How many of n weights sparsity s prunes: ⌊s·n⌋ (s·n in float64).
     *
     * @throws IllegalArgumentException if s is NaN or outside [0, 1]
     */
    public static long pruneCount(long n, double s) {
        SaliencyMask.checkFraction("magnitude pruning", s);
        return (long) (s * n);
    }

    /** The parameters of {@code model} that {@code select} accepts, by name, in model order. */
    public static LinkedHashMap<String, Tensor> select(Module model, BiPredicate<String, Tensor> select) {
        LinkedHashMap<String, Tensor> out = new LinkedHashMap<>();
        model.namedParameters().forEach((name, p) -> {
            if (select.test(name, p)) out.put(name, p);
        });
        return out;
    }

    /**
     * The masks pruning sparsity s of {@code weights} (by |w|), without changing the weights.
     *
     * @throws IllegalArgumentException if s is outside [0, 1], a weight is not float32, or is NaN
     */
    public static ParameterMasks masks(Map<String, Tensor> weights, double s, Scope scope) {
        return pruneOrMask(weights, s, scope, false);
    }

    /** {@link #prune(Module, double, Scope, BiPredicate)} of the {@link #WEIGHTS}. */
    public static ParameterMasks prune(Module model, double s, Scope scope) {
        return prune(model, s, scope, WEIGHTS);
    }

    /**
     * One-shot pruning: masks pruning sparsity s of the selected parameters, applied in place
     * (w ← w ⊙ m). Returns the masks, to be {@linkplain ParameterMasks#installOn installed} on
     * the optimiser that trains the pruned model. A NaN weight is refused before any weight
     * changes.
     *
     * @throws IllegalArgumentException as {@link #masks}, or if a selected parameter is not contiguous
     */
    public static ParameterMasks prune(Module model, double s, Scope scope, BiPredicate<String, Tensor> select) {
        return pruneOrMask(select(model, select), s, scope, true);
    }

    /**
     * The masks of sparsity s, and with {@code apply} w ← w ⊙ m in place, as bits ({@link
     * ParameterMasks#ofBits}). Masks only: each group's (all weights, or each tensor) top-k
     * mask, written while the weights are read ({@link TopK#packedMasks}). Pruning: every
     * group's threshold is first selected, only reading, so a NaN anywhere is refused before
     * any weight changes; then one pass per group writes the bits and zeroes the dropped
     * weights ({@link TopK#keepTop}): two passes over w, where writing the mask while
     * selecting and zeroing from it takes the same two, with more work in the first.
     */
    private static ParameterMasks pruneOrMask(Map<String, Tensor> weights, double s, Scope scope, boolean apply) {
        SaliencyMask.checkFraction("magnitude pruning", s);
        List<Tensor> ws = new ArrayList<>(weights.values());
        FlatList w = apply ? FlatList.output("magnitude pruning", "weights", ws) : FlatList.input("magnitude pruning", "weights", ws);
        LongUnaryOperator keep = n -> n - (long) (s * n);
        long[][] bits = apply ? TopK.keepTop(w, scope, keep, TopK.Rank.MAGNITUDE) : TopK.packedMasks(w.groups(scope), keep, TopK.Rank.MAGNITUDE);
        return ParameterMasks.ofBits(new ArrayList<>(weights.keySet()), w, bits);
    }

    /**
     * One IMP round: of the R entries {@code current} keeps (per scope: all together, or per
     * tensor), prune the ⌊p·R⌋ with the smallest |w|; entries {@code current} already prunes
     * stay pruned. The new masks are applied to the model (w ← w ⊙ m) and returned.
     *
     * @throws IllegalArgumentException if p is outside [0, 1], or current names a parameter
     *         the model lacks or has another shape
     */
    public static ParameterMasks pruneRemaining(Module model, ParameterMasks current, double p, Scope scope) {
        SaliencyMask.checkFraction("magnitude pruning", p);
        Map<String, Tensor> named = model.namedParameters();
        List<String> names = current.names();
        List<Tensor> scores = new ArrayList<>();
        for (String name : names) {
            Tensor w = named.get(name);
            if (w == null) throw new IllegalArgumentException("magnitude pruning: the model has no parameter '" + name + "'");
            // Pruned entries score −1, below every |w|, so a round can never bring one back.
            scores.add(Tensor.where(current.get(name), w.detach().abs(), Tensor.full(-1, w.shape())).detach());
        }
        FlatList sc = FlatList.input("magnitude pruning", "weights", scores);
        FlatList[] groups = sc.groups(scope);
        List<ParameterMasks.LayerSparsity> layers = current.layers();
        long[][] bits = new long[groups.length][];
        for (int g = 0; g < groups.length; g++) {
            long remaining = 0;
            if (scope == Scope.PER_TENSOR) remaining = layers.get(g).kept();
            else for (ParameterMasks.LayerSparsity l : layers) remaining += l.kept();
            bits[g] = TopK.packedMask(groups[g], remaining - (long) (p * remaining), TopK.Rank.VALUE).bits();
        }
        ParameterMasks next = ParameterMasks.ofBits(names, sc, bits);
        next.applyTo(model);
        return next;
    }

    /**
     * The sparsity after k IMP rounds of rate p: 1 − (1 − p)^k (exact without the floors).
     *
     * @throws IllegalArgumentException if p is outside [0, 1] or k &lt; 0
     */
    public static double sparsityAfter(double p, int rounds) {
        SaliencyMask.checkFraction("magnitude pruning", p);
        if (rounds < 0) throw new IllegalArgumentException("magnitude pruning: rounds must be ≥ 0, got " + rounds);
        return 1 - Math.pow(1 - p, rounds);
    }

    /**
     * Weight rewinding: loads {@code earlyState} (a {@link Module#stateDict()} saved early in
     * training) into the model, then re-applies the masks, so training restarts from the early
     * weights with the pruned structure kept.
     *
     * @throws IllegalArgumentException as {@link Module#loadStateDict} or {@link ParameterMasks#applyTo}
     */
    public static void rewind(Module model, Map<String, Tensor> earlyState, ParameterMasks masks) {
        model.loadStateDict(earlyState);
        masks.applyTo(model);
    }
}
