package dev.lethe.autograd;

import dev.lethe.tensor.Tensor;

/**
 * Called with the gradient flowing into a tensor during backward; returns the gradient to
 * use instead (the same one to only observe it). Saliency masks and gradient surgery hang
 * on these.
 */
@FunctionalInterface
public interface GradHook {
    Tensor apply(Tensor grad);
}
