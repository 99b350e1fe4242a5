package dev.lethe.ops;

import dev.lethe.autograd.Autograd;
import dev.lethe.tensor.Shapes;
import dev.lethe.tensor.Tensor;

/**
 * concat along {@code dim}: y = [t₀ | t₁ | …], the inputs laid end to end in that dim; all
 * other dims and the dtype must agree.
 * <p>∂L/∂tₖ = the slice of ∂L/∂y that tₖ filled: narrow(g, dim, offsetₖ, sizeₖ).
 */
public final class Concat {
    private Concat() {}

    /**
     * @throws IllegalArgumentException if there are no tensors, their dtypes differ, or their
     *         shapes differ outside {@code dim}
     */
    public static Tensor apply(int dim, Tensor... ts) {
        if (ts.length == 0) throw new IllegalArgumentException("concat: needs at least one tensor, got none");
        int[] first = ts[0].shape();
        if (first.length == 0) throw new IllegalArgumentException("concat: cannot concatenate 0-dim tensors (shape [])");
        int d = Shapes.dim("concat", dim, first);
        int[] starts = new int[ts.length];
        int[] out = first.clone();
        out[d] = 0;
        for (int k = 0; k < ts.length; k++) {
            OpChecks.sameDtype("concat", ts[0], ts[k]);
            int[] s = ts[k].shape();
            boolean fits = s.length == first.length;
            for (int i = 0; fits && i < s.length; i++) fits = i == d || s[i] == first[i];
            if (!fits) {
                throw new IllegalArgumentException("concat: tensor " + k + " has shape " + Shapes.str(s) + ", tensor 0 has "
                        + Shapes.str(first) + "; they must match except in dim " + d);
            }
            starts[k] = out[d];
            out[d] += s[d];
        }
        Tensor y = Tensor.zeros(ts[0].dtype(), ts[0].device(), out);
        // y is fresh and outside any graph, so the kernel may write its slices directly.
        for (int k = 0; k < ts.length; k++) y.backend().copyInto(y.narrow(d, starts[k], ts[k].size(d)), ts[k].detach());
        return Autograd.record("concat", y, ts.clone(), g -> {
            Tensor[] grads = new Tensor[ts.length];
            for (int k = 0; k < ts.length; k++) grads[k] = g.narrow(d, starts[k], ts[k].size(d));
            return grads;
        });
    }
}
