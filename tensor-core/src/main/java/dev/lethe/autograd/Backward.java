package dev.lethe.autograd;

import dev.lethe.tensor.Tensor;

/**
 * The backward rule of one recorded op: given ∂L/∂out, return ∂L/∂input for each input in
 * the order they were recorded (an entry may be {@code null} for an input that needs none).
 * Returned gradients may have the broadcast shape; the engine sums them back to each
 * input's shape.
 *
 * <p>A rule returns fresh tensors, or the incoming gradient itself (or a view of it): never a
 * tensor whose storage it or anything else keeps and may write later. The engine may store a
 * fresh gradient as a leaf's {@code .grad} without copying it.
 */
@FunctionalInterface
public interface Backward {
    Tensor[] apply(Tensor gradOut);
}
