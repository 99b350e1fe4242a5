package dev.lethe.nn;

import dev.lethe.tensor.Tensor;

/**
 * 2-D convolution layer over [N, C, H, W]: weight [out, in, k, k], bias [out] (see
 * {@link dev.lethe.ops.Conv2d} for the formula). Initialised as PyTorch does: weight and bias
 * ~ U(−1/√fan_in, 1/√fan_in) with fan_in = in·k², weight from sub-seed 0, bias from sub-seed 1.
 */
public final class Conv2d extends Module {
    private final int stride, padding;
    private final Parameter weight, bias;

    public Conv2d(int in, int out, int kernel, int stride, int padding, boolean bias, long seed) {
        if (in < 1 || out < 1 || kernel < 1 || stride < 1 || padding < 0) {
            throw new IllegalArgumentException("Conv2d: need positive in, out, kernel, stride and padding ≥ 0, got in " + in + ", out " + out
                    + ", kernel " + kernel + ", stride " + stride + ", padding " + padding);
        }
        this.stride = stride;
        this.padding = padding;
        weight = registerParameter("weight", Init.kaimingUniform(Init.derive(seed, 0), Init.DEFAULT_A, out, in, kernel, kernel));
        double bound = 1 / Math.sqrt(in * kernel * kernel);
        this.bias = bias ? registerParameter("bias", Init.uniform(Init.derive(seed, 1), -bound, bound, out)) : null;
    }

    @Override
    public Tensor forward(Tensor x) {
        return x.conv2d(weight.value(), bias == null ? null : bias.value(), stride, padding);
    }

    /**
     * maxPool2d(relu(forward(x)), k) with non-overlapping windows as one node ({@link
     * dev.lethe.ops.ConvReluMaxPool2d}): the three layers' bits.
     */
    Tensor forwardReluMaxPool(Tensor x, int k) {
        return dev.lethe.ops.ConvReluMaxPool2d.apply(x, weight.value(), bias == null ? null : bias.value(), stride, padding, k);
    }

    public Tensor weight() {
        return weight.value();
    }

    /** The bias, or null. */
    public Tensor bias() {
        return bias == null ? null : bias.value();
    }
}
