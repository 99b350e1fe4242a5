package dev.lethe.ops;

import dev.lethe.tensor.Shapes;
import dev.lethe.tensor.Tensor;

/**
 * logsumexp over dims: y = log Σ_{dims} eˣ, computed stably as m + log Σ e^(x − m) with
 * m = max_{dims} x held constant (detached): the result does not depend on m, and every
 * exponent is ≤ 0, so large inputs (x ≈ 1000) do not overflow. Composed, so its gradient is
 * ∂L/∂x = ∂L/∂y ⊙ softmax(x) over the reduced dims. An infinite or NaN m is replaced by 0,
 * so a slice of all −∞ gives −∞ instead of NaN.
 */
public final class LogSumExp {
    private LogSumExp() {}

    public static Tensor apply(Tensor x, int[] dims, boolean keepDim) {
        int[] shape = x.shape();
        int[] resolved = Shapes.dims("logsumexp", dims, shape);
        if (x.numel() == 0) throw new IllegalArgumentException("logsumexp: reduction over an empty tensor of shape " + Shapes.str(shape));
        Tensor m = x.detach().max(resolved, true);
        m = Where.apply(m.abs().lt(Double.POSITIVE_INFINITY), m, Tensor.scalar(0.0, x.dtype()));
        Tensor y = x.sub(m).exp().sum(resolved, true).log().add(m);
        return keepDim ? y : y.reshape(Shapes.reduced(shape, resolved, false));
    }
}
