package dev.lethe.cpu;

import dev.lethe.backend.Backends;
import dev.lethe.backend.UnaryOp;
import dev.lethe.tensor.Tensor;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The float32 vector forms of GELU, GELU_GRAD and POW against their float64 formulas, on a
 * contiguous row long enough for the vector body and a scalar tail. GELU_GRAD only runs in
 * backward, so the op table's forward comparison never reaches it.
 */
@Tag("kernels")
class UnaryVectorPathTest {
    private static final int N = 4 * 64 + 7;

    private static void agrees(UnaryOp op, double p, Tensor x) {
        Tensor y = Backends.cpu().unary(op, x, p, 0);
        float[] in = x.toFloatArray(), got = y.toFloatArray();
        for (int k = 0; k < in.length; k++) {
            double want = op.apply(in[k], p, 0);
            assertEquals(want, got[k], 2e-6 * Math.max(1, Math.abs(want)), op + " p=" + p + " at x=" + in[k]);
        }
    }

    @Test
    void geluAndItsDerivative() {
        Tensor x = Tensor.arange(-6, 6, 12.0 / N, dev.lethe.tensor.DType.FLOAT32);
        agrees(UnaryOp.GELU, 0, x);
        agrees(UnaryOp.GELU_GRAD, 0, x);
    }

    @Test
    void powWithFractionalNegativeAndIntegerExponents() {
        Tensor positive = Tensor.rand(1, N).mul(3.0).add(0.1);
        agrees(UnaryOp.POW, 2.5, positive);
        agrees(UnaryOp.POW, -1.5, positive);
        agrees(UnaryOp.POW, 3, Tensor.randn(2, N));
        agrees(UnaryOp.POW, 2, Tensor.randn(3, N));
    }
}
