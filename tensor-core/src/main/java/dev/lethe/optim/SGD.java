package dev.lethe.optim;

import dev.lethe.backend.OptimizerKernels;
import dev.lethe.cpu.Simd;
import dev.lethe.tensor.Tensor;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorSpecies;

import java.util.List;

/**
 * Stochastic gradient descent in PyTorch's exact order, per element in float32:
 * <pre>
 *   d = g + wd·p
 *   if μ ≠ 0:  buf = d on the first step, else buf = μ·buf + (1 − dampening)·d
 *              d = nesterov ? d + μ·buf : buf
 *   p = p − lr·d
 * </pre>
 * The vector path computes the same float operations in the same order lane by lane (no
 * fused multiply-add), so its bits equal the scalar loop's; entries outside a mask keep
 * their parameter and buffer (blended back before the store).
 */
public final class SGD extends Optimizer {
    private final double momentum, dampening, weightDecay;
    private final boolean nesterov;

    /** Plain SGD: no momentum, no weight decay. */
    public SGD(List<Tensor> params, double lr) {
        this(params, lr, 0, 0, false, 0);
    }

    /**
     * @throws IllegalArgumentException for negative momentum, dampening or weight decay, or
     *         nesterov without momentum or with dampening (as PyTorch)
     */
    public SGD(List<Tensor> params, double lr, double momentum, double dampening, boolean nesterov, double weightDecay) {
        super("SGD", params, lr, "momentum_buffer");
        if (!(momentum >= 0) || !(dampening >= 0) || !(weightDecay >= 0)) {
            throw new IllegalArgumentException("SGD: momentum, dampening and weight decay must be ≥ 0, got " + momentum + ", " + dampening + ", "
                    + weightDecay);
        }
        if (nesterov && (momentum == 0 || dampening != 0)) {
            throw new IllegalArgumentException("SGD: nesterov needs momentum > 0 and zero dampening, got momentum " + momentum + ", dampening " + dampening);
        }
        this.momentum = momentum;
        this.dampening = dampening;
        this.nesterov = nesterov;
        this.weightDecay = weightDecay;
    }

    @Override
    protected void update(int index, long step, float[] p, int po, float[] g, int go, int n, boolean[] mask) {
        float wd = (float) weightDecay, mu = (float) momentum, keep = (float) (1 - dampening), negLr = (float) -lr();
        boolean useMomentum = momentum != 0;
        boolean first = useMomentum && !hasState(index, 0);
        float[] buf = useMomentum ? state(index, 0) : null;
        forRanges(n, (from, to) -> update(p, po, g, go, buf, from, to, mask, wd, mu, keep, negLr, first, nesterov));
    }

    @Override
    protected boolean updateOnDevice(int index, long step, Tensor p, Tensor g, Tensor mask, OptimizerKernels kernels) {
        boolean useMomentum = momentum != 0;
        boolean first = useMomentum && !hasState(index, 0);
        kernels.sgd(p, g, useMomentum ? deviceState(index, 0) : null, mask, lr(), momentum, dampening, nesterov, weightDecay, first);
        return true;
    }

    /** The update of entries [from, to): {@code buf} (null without momentum) and {@code mask} indexed as the parameter. */
    private static void update(float[] p, int po, float[] g, int go, float[] buf, int from, int to, boolean[] mask,
            float wd, float mu, float keep, float negLr, boolean first, boolean nesterov) {
        boolean useMomentum = buf != null;
        int j = from;
        if (Simd.ENABLED) {
            VectorSpecies<Float> f = Simd.F;
            for (int bound = from + f.loopBound(to - from); j < bound; j += f.length()) {
                FloatVector pv = FloatVector.fromArray(f, p, po + j), d = FloatVector.fromArray(f, g, go + j);
                VectorMask<Float> moves = mask == null ? null : VectorMask.fromArray(f, mask, j);
                if (wd != 0) d = d.add(pv.mul(wd));
                if (useMomentum) {
                    FloatVector old = FloatVector.fromArray(f, buf, j);
                    FloatVector b = first ? d : old.mul(mu).add(d.mul(keep));
                    (moves == null ? b : old.blend(b, moves)).intoArray(buf, j);
                    d = nesterov ? d.add(b.mul(mu)) : b;
                }
                FloatVector np = pv.add(d.mul(negLr));
                if (moves != null) np = pv.blend(np, moves);
                np.intoArray(p, po + j);
            }
        }
        for (; j < to; j++) {
            if (mask != null && !mask[j]) continue;
            float d = g[go + j];
            if (wd != 0) d = d + wd * p[po + j];
            if (useMomentum) {
                float b = first ? d : buf[j] * mu + keep * d;
                buf[j] = b;
                d = nesterov ? d + mu * b : b;
            }
            p[po + j] = p[po + j] + negLr * d;
        }
    }
}
