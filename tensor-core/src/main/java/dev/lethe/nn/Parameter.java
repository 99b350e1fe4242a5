package dev.lethe.nn;

import dev.lethe.tensor.Shapes;
import dev.lethe.tensor.Tensor;

import java.util.Arrays;

/**
 * A module's slot for one trainable tensor: a leaf that requires grad. The slot, not the
 * tensor, is what the module holds, so the tensor can be swapped for another of the same
 * shape (a float64 copy for gradcheck, or an input the caller differentiates against).
 */
public final class Parameter {
    private Tensor value;

    Parameter(Tensor initial) {
        value = asLeaf(initial);
    }

    /** The current tensor. */
    public Tensor value() {
        return value;
    }

    /**
     * Replaces the tensor with {@code t} (same shape), made a leaf that requires grad.
     *
     * @throws IllegalArgumentException if the shape differs
     * @throws IllegalStateException if {@code t} is not a leaf
     */
    void set(Tensor t) {
        if (!Arrays.equals(t.shape(), value.shape())) {
            throw new IllegalArgumentException("parameter of shape " + Shapes.str(value.shape()) + " cannot hold a tensor of shape "
                    + Shapes.str(t.shape()));
        }
        value = asLeaf(t);
    }

    private static Tensor asLeaf(Tensor t) {
        if (!t.isLeaf()) throw new IllegalStateException("a parameter must be a leaf tensor; this one was made by '" + t.gradFn().name() + "'");
        return t.requiresGrad(true);
    }
}
