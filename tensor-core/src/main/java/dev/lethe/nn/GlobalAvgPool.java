package dev.lethe.nn;

import dev.lethe.tensor.Shapes;
import dev.lethe.tensor.Tensor;

/** Global average pooling: [N, C, H, W] → [N, C], y[n, c] = mean over (h, w) of x[n, c, h, w]. */
public final class GlobalAvgPool extends Module {
    @Override
    public Tensor forward(Tensor x) {
        if (x.dim() != 4) throw new IllegalArgumentException("GlobalAvgPool: expected [N, C, H, W], got " + Shapes.str(x.shape()));
        return x.mean(new int[] {2, 3}, false);
    }
}
