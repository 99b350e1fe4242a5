package dev.lethe.tensor;

import java.util.Locale;

/** {@code tensor([[1.0000, 2.0000], …], shape=[2, 2], dtype=float32, grad_fn=mul)}; long dims are elided. */
final class TensorFormat {
    private static final int EDGE = 3;

    private TensorFormat() {}

    static String format(Tensor t) {
        StringBuilder sb = new StringBuilder("tensor(");
        if (t.storage().isReleased()) sb.append("released on ").append(t.device());
        else appendDim(sb, t, 0, t.offset());
        sb.append(", shape=").append(Shapes.str(t.shape())).append(", dtype=").append(t.dtype());
        if (t.gradFn() != null) sb.append(", grad_fn=").append(t.gradFn().name());
        else if (t.requiresGrad()) sb.append(", requires_grad=true");
        return sb.append(')').toString();
    }

    private static void appendDim(StringBuilder sb, Tensor t, int d, int off) {
        int[] shape = t.shape(), strides = t.strides();
        if (d == shape.length) {
            sb.append(String.format(Locale.ROOT, "%.4f", t.storage().get(off)));
            return;
        }
        sb.append('[');
        int n = shape[d];
        for (int i = 0; i < n; i++) {
            if (n > 2 * EDGE && i == EDGE) {
                sb.append("…, ");
                i = n - EDGE;
            }
            appendDim(sb, t, d + 1, off + i * strides[d]);
            if (i < n - 1) sb.append(", ");
        }
        sb.append(']');
    }
}
