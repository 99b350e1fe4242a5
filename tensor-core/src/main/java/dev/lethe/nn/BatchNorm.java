package dev.lethe.nn;

import dev.lethe.autograd.NoGrad;
import dev.lethe.ops.BatchNormalization;
import dev.lethe.tensor.Shapes;
import dev.lethe.tensor.Tensor;

/**
 * Batch normalisation over dim 1 (the channels), as PyTorch: y = (x − μ)/√(σ² + ε)·γ + β,
 * per channel. In training μ and σ² are the batch mean and biased variance over every dim
 * but 1, and the running estimates move with momentum m = 0.1:
 * running_mean ← (1 − m)·running_mean + m·μ, running_var ← (1 − m)·running_var + m·σ²·n/(n − 1)
 * (the unbiased variance, n values per channel). In eval the running estimates replace μ and
 * σ². γ starts at 1, β at 0, running_mean at 0, running_var at 1; num_batches_tracked counts
 * training batches. Training runs {@link BatchNormalization} (one fused node for float32 on
 * the CPU); eval is the composed affine map above, so the gradient follows.
 */
public abstract class BatchNorm extends Module {
    public static final double EPS = 1e-5, MOMENTUM = 0.1;
    private final int features;
    private final Parameter weight, bias;

    BatchNorm(int features) {
        if (features < 1) throw new IllegalArgumentException(getClass().getSimpleName() + ": features must be positive, got " + features);
        this.features = features;
        weight = registerParameter("weight", Init.ones(features));
        bias = registerParameter("bias", Init.zeros(features));
        registerBuffer("running_mean", Init.zeros(features));
        registerBuffer("running_var", Init.ones(features));
        registerBuffer("num_batches_tracked", Tensor.scalar(0));
    }

    /** True if this layer takes inputs of rank {@code rank}. */
    abstract boolean acceptsRank(int rank);

    /** The input shapes this layer takes, for error messages. */
    abstract String expectedShape();

    @Override
    public Tensor forward(Tensor x) {
        String name = getClass().getSimpleName();
        if (!acceptsRank(x.dim()) || x.size(1) != features) {
            throw new IllegalArgumentException(name + "(" + features + "): expected " + expectedShape() + " with C = " + features + ", got "
                    + Shapes.str(x.shape()));
        }
        if (isTraining()) {
            int n = x.numel() / features;
            if (n < 2) throw new IllegalArgumentException(name + ": training needs more than 1 value per channel, got input " + Shapes.str(x.shape()));
            BatchNormalization.Result r = BatchNormalization.training(x, weight.value(), bias.value(), EPS);
            updateRunningStats(r.mean(), r.variance(), n);
            return r.output();
        }
        return BatchNormalization.normalize(x, buffer("running_mean"), buffer("running_var"), weight.value(), bias.value(), EPS);
    }

    private void updateRunningStats(Tensor mean, Tensor var, int n) {
        try (NoGrad g = NoGrad.enter()) {
            Tensor rm = buffer("running_mean"), rv = buffer("running_var"), count = buffer("num_batches_tracked");
            rm.copy_(rm.mul(1 - MOMENTUM).add(mean.reshape(features).mul(MOMENTUM)));
            rv.copy_(rv.mul(1 - MOMENTUM).add(var.reshape(features).mul((double) n / (n - 1)).mul(MOMENTUM)));
            count.copy_(count.add(1));
        }
    }

    public Tensor weight() {
        return weight.value();
    }

    public Tensor bias() {
        return bias.value();
    }

    public Tensor runningMean() {
        return buffer("running_mean");
    }

    public Tensor runningVar() {
        return buffer("running_var");
    }
}
