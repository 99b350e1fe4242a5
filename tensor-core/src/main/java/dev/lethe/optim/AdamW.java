package dev.lethe.optim;

import dev.lethe.tensor.Tensor;

import java.util.List;

/**
 * Adam with decoupled weight decay (Loshchilov and Hutter 2019): before the Adam step,
 * p = p·(1 − lr·wd); the gradient itself is not decayed. See {@link Adam} for the update.
 */
public final class AdamW extends Adam {
    /** β = (0.9, 0.999), ε = 1e-8, weight decay 0.01 (PyTorch's defaults). */
    public AdamW(List<Tensor> params, double lr) {
        this(params, lr, 0.9, 0.999, 1e-8, 0.01);
    }

    public AdamW(List<Tensor> params, double lr, double beta1, double beta2, double eps, double weightDecay) {
        super("AdamW", params, lr, beta1, beta2, eps, weightDecay, true);
    }
}
