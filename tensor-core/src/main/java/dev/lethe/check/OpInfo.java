package dev.lethe.check;

import dev.lethe.tensor.Tensor;

import java.util.List;
import java.util.function.Function;

/**
 * One op's entry in the op table, in the spirit of PyTorch's OpInfo: what it computes, its
 * derivative, sample inputs that exercise it (odd sizes, broadcasting, non-contiguous views)
 * and inputs it must refuse.
 *
 * @param name       the op's name as users call it, e.g. {@code "add"}
 * @param opClass    the class in {@code dev.lethe.ops} that implements it
 * @param formula    the forward formula, e.g. {@code "z = a + b"}
 * @param derivative the backward rule, e.g. {@code "∂a = g, ∂b = g (summed to shape)"}
 * @param samples    sample inputs (float64) for gradcheck and the fast-vs-reference comparison
 * @param errors     calls that must throw {@link IllegalArgumentException}
 */
public record OpInfo(String name, Class<?> opClass, String formula, String derivative,
                     List<Sample> samples, List<ErrorSample> errors) {

    /**
     * A call of the op on sample inputs.
     *
     * @param description  what the sample exercises, e.g. {@code "[3, 17] + [17] broadcast"}
     * @param inputs       float64 inputs; gradients are checked for those flagged differentiable
     * @param differentiable which inputs gradcheck perturbs (index tensors are not)
     * @param fn           the op applied to the inputs (it may first take views, e.g. a transpose)
     */
    public record Sample(String description, Tensor[] inputs, boolean[] differentiable, Function<Tensor[], Tensor> fn) {
        /** A sample whose inputs are all differentiable. */
        public static Sample of(String description, Function<Tensor[], Tensor> fn, Tensor... inputs) {
            boolean[] all = new boolean[inputs.length];
            java.util.Arrays.fill(all, true);
            return new Sample(description, inputs, all, fn);
        }
    }

    /**
     * A call that must throw {@link IllegalArgumentException} whose message contains every
     * fragment (typically the offending shapes, e.g. {@code "[2, 3]"}).
     */
    public record ErrorSample(String description, Runnable call, String... fragments) {}
}
