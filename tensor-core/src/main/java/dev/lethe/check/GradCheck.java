package dev.lethe.check;

import dev.lethe.autograd.NoGrad;
import dev.lethe.tensor.CounterRandom;
import dev.lethe.tensor.DType;
import dev.lethe.tensor.Indexing;
import dev.lethe.tensor.Shapes;
import dev.lethe.tensor.Tensor;

import java.util.Arrays;
import java.util.function.Function;

/**
 * Numerical gradient check in float64, as PyTorch's {@code gradcheck} does it.
 *
 * <p>For f: inputs → y, take a fixed random projection v of y's shape and the scalar
 * L = Σ v ⊙ f(x). Autograd gives ∂L/∂x; central differences give
 * (L(x + ε·eₖ) − L(x − ε·eₖ)) / 2ε for every element k of every input. An element passes when
 * |analytic − numeric| ≤ atol + rtol·|numeric|. The result reports, per input, the worst
 * absolute error and the worst relative error |a − n| / max(|n|, atol).
 */
public final class GradCheck {
    /** Defaults as in PyTorch: ε = 1e-6, atol = 1e-5, rtol = 1e-3. */
    public static final double EPS = 1e-6, ATOL = 1e-5, RTOL = 1e-3;

    /** The outcome for each input (entries are NaN for inputs not checked). */
    public record Result(double[] maxAbsError, double[] maxRelError, boolean passed, String firstFailure) {
        /** The worst absolute error over all checked inputs. */
        public double worstAbs() {
            return Arrays.stream(maxAbsError).filter(d -> !Double.isNaN(d)).max().orElse(0);
        }

        /** The worst relative error over all checked inputs. */
        public double worstRel() {
            return Arrays.stream(maxRelError).filter(d -> !Double.isNaN(d)).max().orElse(0);
        }
    }

    private GradCheck() {}

    /** Checks every input with the default tolerances. */
    public static Result check(Function<Tensor[], Tensor> f, Tensor... inputs) {
        boolean[] all = new boolean[inputs.length];
        Arrays.fill(all, true);
        return check(f, inputs, all, EPS, ATOL, RTOL);
    }

    /**
     * Checks the inputs flagged in {@code differentiable}; all inputs must be float64.
     *
     * @throws IllegalArgumentException if a checked input is not float64
     */
    public static Result check(Function<Tensor[], Tensor> f, Tensor[] inputs, boolean[] differentiable,
                               double eps, double atol, double rtol) {
        Tensor[] xs = new Tensor[inputs.length];
        for (int i = 0; i < inputs.length; i++) {
            if (differentiable[i] && inputs[i].dtype() != DType.FLOAT64) {
                throw new IllegalArgumentException("gradcheck: input " + i + " is " + inputs[i].dtype() + "; gradcheck needs float64");
            }
            xs[i] = inputs[i].detach().requiresGrad(differentiable[i]);
        }
        Tensor y = f.apply(xs);
        Tensor v = Tensor.rand(0x5EED, DType.FLOAT64, y.shape()).add(0.5);
        double[] maxAbs = new double[inputs.length], maxRel = new double[inputs.length];
        Arrays.fill(maxAbs, Double.NaN);
        Arrays.fill(maxRel, Double.NaN);
        if (!y.requiresGrad()) {
            throw new IllegalStateException("gradcheck: the output does not depend on any differentiable input");
        }
        y.mul(v).sum().backward();
        boolean passed = true;
        String failure = null;
        for (int i = 0; i < xs.length; i++) {
            if (!differentiable[i]) continue;
            Tensor x = xs[i];
            Tensor analytic = x.grad() == null ? Tensor.zeros(DType.FLOAT64, x.shape()) : x.grad();
            int[] shape = x.shape(), strides = x.strides();
            double worstAbs = 0, worstRel = 0;
            for (int k = 0; k < x.numel(); k++) {
                int off = Indexing.offsetOf(k, shape, strides, x.offset());
                double orig = x.storage().get(off);
                double plus, minus;
                try (NoGrad g = NoGrad.enter()) {
                    x.storage().set(off, orig + eps);
                    plus = f.apply(xs).mul(v).sum().item();
                    x.storage().set(off, orig - eps);
                    minus = f.apply(xs).mul(v).sum().item();
                } finally {
                    x.storage().set(off, orig);
                }
                double numeric = (plus - minus) / (2 * eps);
                double a = analytic.get(Indexing.coordinates(k, shape));
                double abs = Math.abs(a - numeric);
                double rel = abs / Math.max(Math.abs(numeric), atol);
                if (!(abs <= worstAbs)) worstAbs = abs; // also catches NaN
                if (!(rel <= worstRel)) worstRel = rel;
                if (!(abs <= atol + rtol * Math.abs(numeric)) && passed) {
                    passed = false;
                    failure = "input " + i + " " + Shapes.str(shape) + " element " + Arrays.toString(Indexing.coordinates(k, shape))
                            + ": analytic " + a + ", numeric " + numeric;
                }
            }
            maxAbs[i] = worstAbs;
            maxRel[i] = worstRel;
        }
        return new Result(maxAbs, maxRel, passed, failure);
    }

    /** A seeded uniform in [lo, hi) float64 tensor, handy for gradcheck inputs. */
    public static Tensor uniform(long seed, double lo, double hi, int... shape) {
        Tensor t = Tensor.zeros(DType.FLOAT64, shape);
        for (int i = 0; i < t.numel(); i++) t.storage().set(i, lo + (hi - lo) * CounterRandom.uniform(seed, i));
        return t;
    }
}
