package dev.lethe.nn;

import dev.lethe.tensor.Shapes;
import dev.lethe.tensor.Tensor;

/**
 * Fully connected layer, PyTorch layout: weight W [out, in], bias b [out], y = x·Wᵀ + b for x
 * [..., in]. Initialised as PyTorch does: W and b ~ U(−1/√in, 1/√in) (kaiming_uniform with
 * a = √5), W from sub-seed 0 of {@code seed} and b from sub-seed 1.
 */
public final class Linear extends Module {
    private final int in, out;
    private final Parameter weight, bias;

    /** With a bias. */
    public Linear(int in, int out, long seed) {
        this(in, out, true, seed);
    }

    public Linear(int in, int out, boolean bias, long seed) {
        if (in < 1 || out < 1) throw new IllegalArgumentException("Linear: sizes must be positive, got in " + in + ", out " + out);
        this.in = in;
        this.out = out;
        weight = registerParameter("weight", Init.kaimingUniform(Init.derive(seed, 0), Init.DEFAULT_A, out, in));
        double bound = 1 / Math.sqrt(in);
        this.bias = bias ? registerParameter("bias", Init.uniform(Init.derive(seed, 1), -bound, bound, out)) : null;
    }

    /** @throws IllegalArgumentException if x's last dim is not {@code in} */
    @Override
    public Tensor forward(Tensor x) {
        if (x.dim() < 1 || x.size(-1) != in) {
            throw new IllegalArgumentException("Linear(" + in + ", " + out + "): input " + Shapes.str(x.shape()) + " does not end in " + in);
        }
        Tensor y = x.matmul(weight.value().t());
        return bias == null ? y : y.add(bias.value());
    }

    public Tensor weight() {
        return weight.value();
    }

    /** The bias, or null. */
    public Tensor bias() {
        return bias == null ? null : bias.value();
    }
}
