package dev.lethe.surgery;

import dev.lethe.nn.Module;
import dev.lethe.tensor.Tensor;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * WAGLE's weight-attribution score, one fused pass per element:
 * <pre>
 *   s_i = |(θ_i − g_r,i / μ) · g_f,i|
 * </pre>
 * with θ the parameters, g_r and g_f the retain- and forget-loss gradients (summed over
 * batches), μ = 10⁻³ by default; float32, in this order. A mask keeps the top fraction of s
 * ({@link SaliencyMask#fromScores}, usually {@link Scope#GLOBAL}); the base method's
 * gradients are then multiplied by it.
 */
public final class Wagle {
    /** The reference μ. */
    public static final double DEFAULT_MU = 1e-3;

    private Wagle() {}

    /**
     * The scores s as fresh float32 tensors shaped like the parameters.
     *
     * @throws IllegalArgumentException if the lists differ in length or shapes, a tensor is not
     *         float32, μ is not finite and positive, or a score comes out NaN (naming the tensor
     *         and element and the three inputs there)
     */
    public static List<Tensor> scores(List<Tensor> params, List<Tensor> retainGrads, List<Tensor> forgetGrads, double mu) {
        if (!(mu > 0) || Double.isInfinite(mu)) throw new IllegalArgumentException("WAGLE: μ must be finite and > 0, got " + mu);
        FlatList theta = FlatList.input("WAGLE", "parameters", params);
        FlatList r = FlatList.input("WAGLE", "retain gradients", retainGrads);
        FlatList f = FlatList.input("WAGLE", "forget gradients", forgetGrads);
        theta.requireSameShapes("WAGLE", "parameters", r, "retain gradients");
        theta.requireSameShapes("WAGLE", "parameters", f, "forget gradients");
        List<Tensor> out = TopK.zerosLike("WAGLE", params);
        FlatList o = FlatList.output("WAGLE", "scores", out);
        if (VectorPasses.wagle(theta, r, f, (float) mu, o)) {
            for (int t = 0; t < o.size(); t++) {
                for (int i = 0; i < o.lengths[t]; i++) {
                    if (Float.isNaN(o.arrays[t][o.offsets[t] + i])) {
                        throw new IllegalArgumentException("WAGLE: score tensor " + t + " element " + i + " is NaN (θ = " + theta.arrays[t][theta.offsets[t] + i]
                                + ", g_r = " + r.arrays[t][r.offsets[t] + i] + ", g_f = " + f.arrays[t][f.offsets[t] + i] + "); inputs must be finite");
                    }
                }
            }
        }
        return out;
    }

    /**
     * WAGLE's mask for every parameter of {@code model}: the top fraction r of s (scope as
     * given, usually {@link Scope#GLOBAL}), named as {@link Module#namedParameters()}. The
     * gradient lists follow {@code model.parameters()} order.
     *
     * @throws IllegalArgumentException as {@link #scores} and {@link SaliencyMask#fromScores}
     */
    public static ParameterMasks forModel(Module model, List<Tensor> retainGrads, List<Tensor> forgetGrads, double mu, double r, Scope scope) {
        Map<String, Tensor> named = model.namedParameters();
        List<Tensor> s = scores(new ArrayList<>(named.values()), retainGrads, forgetGrads, mu);
        return SaliencyMask.masksFromScores(new ArrayList<>(named.keySet()), s, r, scope);
    }

    /** {@link #scores(List, List, List, double)} with μ = 10⁻³. */
    public static List<Tensor> scores(List<Tensor> params, List<Tensor> retainGrads, List<Tensor> forgetGrads) {
        return scores(params, retainGrads, forgetGrads, DEFAULT_MU);
    }
}
