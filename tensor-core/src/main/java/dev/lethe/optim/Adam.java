package dev.lethe.optim;

import dev.lethe.backend.OptimizerKernels;
import dev.lethe.cpu.Simd;
import dev.lethe.tensor.Tensor;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorSpecies;

import java.util.List;

/**
 * Adam (Kingma and Ba 2015) in PyTorch's exact order, per element in float32, at step t:
 * <pre>
 *   g = g + wd·p                          (Adam: L2 decay folded into the gradient)
 *   p = p·(1 − lr·wd)                     (AdamW: decoupled decay, instead)
 *   m = m + (1 − β₁)·(g − m)
 *   v = β₂·v + (1 − β₂)·g²
 *   p = p − (lr/(1 − β₁ᵗ))·m / (√v/√(1 − β₂ᵗ) + ε)
 * </pre>
 * The bias corrections are computed in float64, as PyTorch computes them in Python floats.
 * The vector path computes the same float operations in the same order lane by lane (√ of a
 * float rounds the same in float32 as through float64), so its bits equal the scalar loop's;
 * entries outside a mask keep their parameter and moments (blended back before the store).
 */
public class Adam extends Optimizer {
    private final double beta1, beta2, eps, weightDecay;
    private final boolean decoupled;

    /** β = (0.9, 0.999), ε = 1e-8, no weight decay. */
    public Adam(List<Tensor> params, double lr) {
        this(params, lr, 0.9, 0.999, 1e-8, 0);
    }

    /** @throws IllegalArgumentException if a β is outside [0, 1), ε ≤ 0 or the weight decay is negative */
    public Adam(List<Tensor> params, double lr, double beta1, double beta2, double eps, double weightDecay) {
        this("Adam", params, lr, beta1, beta2, eps, weightDecay, false);
    }

    Adam(String name, List<Tensor> params, double lr, double beta1, double beta2, double eps, double weightDecay, boolean decoupled) {
        super(name, params, lr, "exp_avg", "exp_avg_sq");
        if (!(beta1 >= 0 && beta1 < 1) || !(beta2 >= 0 && beta2 < 1) || !(eps > 0) || !(weightDecay >= 0)) {
            throw new IllegalArgumentException(name + ": need 0 ≤ β < 1, ε > 0, weight decay ≥ 0, got β = (" + beta1 + ", " + beta2 + "), ε = " + eps
                    + ", weight decay " + weightDecay);
        }
        this.beta1 = beta1;
        this.beta2 = beta2;
        this.eps = eps;
        this.weightDecay = weightDecay;
        this.decoupled = decoupled;
    }

    @Override
    protected void update(int index, long step, float[] p, int po, float[] g, int go, int n, boolean[] mask) {
        float[] m = state(index, 0), v = state(index, 1);
        double lr = lr();
        float l2 = decoupled ? 0 : (float) weightDecay;
        float shrink = (float) (1 - lr * weightDecay);
        boolean decay = decoupled && weightDecay != 0;
        float oneMinusB1 = (float) (1 - beta1), b2 = (float) beta2, oneMinusB2 = (float) (1 - beta2), e = (float) eps;
        float negStepSize = (float) (-lr / (1 - Math.pow(beta1, step)));
        float bc2Sqrt = (float) Math.sqrt(1 - Math.pow(beta2, step));
        forRanges(n, (from, to) -> update(p, po, g, go, m, v, from, to, mask, l2, decay, shrink, oneMinusB1, b2, oneMinusB2, e, negStepSize, bc2Sqrt));
    }

    @Override
    protected boolean updateOnDevice(int index, long step, Tensor p, Tensor g, Tensor mask, OptimizerKernels kernels) {
        kernels.adam(p, g, deviceState(index, 0), deviceState(index, 1), mask, step, lr(), beta1, beta2, eps, weightDecay, decoupled);
        return true;
    }

    /** The update of entries [from, to): the moments {@code m}, {@code v} and {@code mask} indexed as the parameter. */
    private static void update(float[] p, int po, float[] g, int go, float[] m, float[] v, int from, int to, boolean[] mask,
            float l2, boolean decay, float shrink, float oneMinusB1, float b2, float oneMinusB2, float e, float negStepSize, float bc2Sqrt) {
        int j = from;
        if (Simd.ENABLED) {
            VectorSpecies<Float> f = Simd.F;
            for (int bound = from + f.loopBound(to - from); j < bound; j += f.length()) {
                FloatVector p0 = FloatVector.fromArray(f, p, po + j), pj = p0, gj = FloatVector.fromArray(f, g, go + j);
                FloatVector m0 = FloatVector.fromArray(f, m, j), v0 = FloatVector.fromArray(f, v, j);
                if (l2 != 0) gj = gj.add(pj.mul(l2));
                if (decay) pj = pj.mul(shrink);
                FloatVector mj = m0.add(gj.sub(m0).mul(oneMinusB1));
                FloatVector vj = v0.mul(b2).add(gj.mul(oneMinusB2).mul(gj));
                FloatVector denom = vj.sqrt().div(bc2Sqrt).add(e);
                FloatVector np = pj.add(mj.mul(negStepSize).div(denom));
                if (mask != null) {
                    VectorMask<Float> keep = VectorMask.fromArray(f, mask, j);
                    mj = m0.blend(mj, keep);
                    vj = v0.blend(vj, keep);
                    np = p0.blend(np, keep);
                }
                mj.intoArray(m, j);
                vj.intoArray(v, j);
                np.intoArray(p, po + j);
            }
        }
        for (; j < to; j++) {
            if (mask != null && !mask[j]) continue;
            float pj = p[po + j];
            float gj = g[go + j];
            if (l2 != 0) gj = gj + l2 * pj;
            if (decay) pj = pj * shrink;
            float mj = m[j] + oneMinusB1 * (gj - m[j]);
            float vj = v[j] * b2 + oneMinusB2 * gj * gj;
            m[j] = mj;
            v[j] = vj;
            float denom = (float) Math.sqrt(vj) / bc2Sqrt + e;
            p[po + j] = pj + negStepSize * mj / denom; // addcdiv's order: p + (s·m)/denom
        }
    }
}
