package dev.lethe.ops;

import dev.lethe.autograd.Autograd;
import dev.lethe.backend.UnaryOp;
import dev.lethe.cpu.ReluKernel;
import dev.lethe.tensor.DType;
import dev.lethe.tensor.Storage;
import dev.lethe.tensor.Tensor;

import java.util.Arrays;

/**
 * relu: y = max(x, 0).
 * <p>∂L/∂x = ∂L/∂y ⊙ [x &gt; 0] (0 at x = 0, as PyTorch does): {@code g.mul(step(x))}, or for
 * float32 on the CPU the same products in one pass ({@link ReluKernel}).
 */
public final class Relu {
    private Relu() {}

    public static Tensor apply(Tensor x) {
        Tensor y = Elementwise.unary(UnaryOp.RELU, x);
        return Autograd.record("relu", y, new Tensor[] {x}, new Tensor[] {x}, g -> new Tensor[] {backward(g, x)});
    }

    /** ∂L/∂x for ∂L/∂y = g. */
    static Tensor backward(Tensor g, Tensor x) {
        if (!(onCpu32(g) && onCpu32(x) && Arrays.equals(g.shape(), x.shape()))) {
            return g.mul(Elementwise.unary(UnaryOp.STEP, x));
        }
        Tensor gc = Contiguous.dense(g), xc = Contiguous.dense(x);
        float[] out = new float[x.numel()];
        ReluKernel.backward(gc.storage().floats(), gc.offset(), xc.storage().floats(), xc.offset(), out.length, out);
        return Tensor.wrap(Storage.wrap(out), x.shape());
    }

    private static boolean onCpu32(Tensor t) {
        return t.dtype() == DType.FLOAT32 && t.device().isCpu();
    }
}
