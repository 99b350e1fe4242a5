package dev.lethe.ops;

import dev.lethe.autograd.NoGrad;
import dev.lethe.tensor.DType;
import dev.lethe.tensor.Shapes;
import dev.lethe.tensor.Tensor;

import java.util.Arrays;

/**
 * The checks on an {@code out} argument, a view an op writes its result into instead of
 * allocating one (PyTorch's {@code out=}). The op's inputs are checked first; then {@code out}
 * must have the result's shape and dtype and live on the inputs' device; it may be the very
 * view of an input (an in-place op), but must not overlap an input any other way, nor itself
 * (a broadcast view), as each element is read and written once in an order the kernel
 * chooses. Nothing is recorded for autograd, so no input may require a gradient while
 * gradients are on. Whether {@code out} itself may be written (not a leaf that requires grad,
 * not part of a graph) is {@link Tensor}'s own in-place check.
 */
final class OutArgument {
    private OutArgument() {}

    /**
     * @throws IllegalArgumentException naming {@code op} if out's shape, dtype or device is not
     *         the result's, or out overlaps itself or an input other than as the same view
     * @throws IllegalStateException if gradients are on and an input requires one
     */
    static void check(String op, int[] shape, DType dtype, Tensor out, Tensor... inputs) {
        if (!Arrays.equals(out.shape(), shape)) {
            throw new IllegalArgumentException(op + ": out has shape " + Shapes.str(out.shape()) + ", expected " + Shapes.str(shape) + " (the result's shape)");
        }
        if (out.dtype() != dtype) {
            throw new IllegalArgumentException(op + ": out is " + out.dtype() + ", expected " + dtype + " (the inputs' dtype)");
        }
        int[] strides = out.strides();
        for (int d = 0; d < shape.length; d++) {
            if (shape[d] > 1 && strides[d] == 0) {
                throw new IllegalArgumentException(op + ": out " + Shapes.str(shape) + " is a broadcast view (stride 0 in dim " + d + "); write into a tensor whose elements are distinct");
            }
        }
        for (int i = 0; i < inputs.length; i++) {
            Tensor x = inputs[i];
            if (!x.device().equals(out.device())) {
                throw new IllegalArgumentException(op + ": out is on " + out.device() + ", input " + i + " on " + x.device() + "; move one with .to(device)");
            }
            if (x.storage() == out.storage() && !sameView(x, out) && overlaps(x, out)) {
                throw new IllegalArgumentException(op + ": out overlaps input " + i + " (" + Shapes.str(x.shape()) + ") without being the same view; write into a separate tensor");
            }
            if (x.requiresGrad() && NoGrad.gradEnabled()) {
                throw new IllegalStateException(op + ": input " + i + " requires grad, and an op with out records no graph; use the op without out, or call it inside NoGrad.enter()");
            }
        }
    }

    private static boolean sameView(Tensor a, Tensor b) {
        return a.offset() == b.offset() && Arrays.equals(a.shape(), b.shape()) && Arrays.equals(a.strides(), b.strides());
    }

    /** Whether the storage ranges the two views span intersect (a conservative overlap test). */
    private static boolean overlaps(Tensor a, Tensor b) {
        if (a.numel() == 0 || b.numel() == 0) return false;
        long[] ra = span(a), rb = span(b);
        return ra[0] <= rb[1] && rb[0] <= ra[1];
    }

    /** The first and last storage index a view reaches. */
    private static long[] span(Tensor t) {
        long first = t.offset(), last = t.offset();
        int[] shape = t.shape(), strides = t.strides();
        for (int d = 0; d < shape.length; d++) {
            long reach = (long) (shape[d] - 1) * strides[d];
            if (reach < 0) first += reach;
            else last += reach;
        }
        return new long[] {first, last};
    }
}
