package dev.lethe.ops;

import dev.lethe.autograd.Autograd;
import dev.lethe.cpu.BatchNormKernel;
import dev.lethe.tensor.DType;
import dev.lethe.tensor.Shapes;
import dev.lethe.tensor.Storage;
import dev.lethe.tensor.Tensor;

/**
 * batchNorm in training mode, as PyTorch: for x [N, C, *], per channel c over the other dims
 * (m values), μ = mean(x), σ² = (1/m)·Σ(x − μ)² (biased), y = (x − μ)/√(σ² + ε)·γ + β.
 * With x̂ = (x − μ)/√(σ² + ε), the gradient through μ and σ² is
 * ∂x = (γ/√(σ² + ε))·(g − mean(g) − x̂·mean(g·x̂)), ∂γ = Σ g·x̂, ∂β = Σ g.
 * <p>float32 on the CPU runs {@link BatchNormKernel} as one node with that backward (sums in
 * float64, one channel per thread, so the bits do not depend on the thread count). float64,
 * and tensors on a device, run the composition of mean, var, sub, div, sqrt, mul and add
 * ({@link #composed}), which the kernel is tested against and whose graph differentiates twice.
 * The running statistics are the caller's (see {@code nn.BatchNorm}): this op returns μ and σ².
 */
public final class BatchNormalization {
    private BatchNormalization() {}

    /**
     * @param output   y, shaped like x
     * @param mean     μ per channel, [C], no gradient
     * @param variance biased σ² per channel, [C], no gradient
     */
    public record Result(Tensor output, Tensor mean, Tensor variance) {}

    /**
     * @param weight γ, [C]
     * @param bias   β, [C]
     * @throws IllegalArgumentException if x is empty or has rank below 2, γ or β is not [C] of x's dtype,
     *         or ε is not positive
     */
    public static Result training(Tensor x, Tensor weight, Tensor bias, double eps) {
        if (x.dim() < 2 || x.numel() == 0) {
            throw new IllegalArgumentException("batchNorm: expected a non-empty input [N, C, ...] of rank ≥ 2, got " + Shapes.str(x.shape()));
        }
        int c = x.size(1);
        for (Tensor t : new Tensor[] {weight, bias}) {
            OpChecks.sameDtype("batchNorm", x, t);
            if (t.dim() != 1 || t.size(0) != c) {
                throw new IllegalArgumentException("batchNorm: " + (t == weight ? "weight" : "bias") + " has shape " + Shapes.str(t.shape())
                        + ", expected [" + c + "] for input " + Shapes.str(x.shape()));
            }
        }
        if (!(eps > 0)) throw new IllegalArgumentException("batchNorm: eps must be positive, got " + eps);
        boolean cpu32 = x.dtype() == DType.FLOAT32 && x.device().isCpu() && weight.device().isCpu() && bias.device().isCpu();
        return cpu32 ? fused(x, weight, bias, eps) : composed(x, weight, bias, eps);
    }

    /**
     * The composition of mean, var and the elementwise ops, whatever the dtype and device:
     * the float64 path, and the baseline {@code BatchNormBench} times the kernel against.
     * Arguments as {@link #training}, unchecked.
     */
    public static Result composed(Tensor x, Tensor weight, Tensor bias, double eps) {
        int c = x.size(1);
        int[] dims = new int[x.dim() - 1];
        for (int d = 0, j = 0; d < x.dim(); d++) if (d != 1) dims[j++] = d;
        Tensor mean = x.mean(dims, false), var = x.var(dims, false, 0);
        return new Result(normalize(x, mean, var, weight, bias, eps), mean.detach(), var.detach());
    }

    /**
     * y = (x − μ)/√(σ² + ε)·γ + β per channel (dim 1) for given μ and σ², all [C], composed
     * from elementwise ops (so the gradient follows): the training step above, and eval mode
     * with the running estimates.
     */
    public static Tensor normalize(Tensor x, Tensor mean, Tensor var, Tensor weight, Tensor bias, double eps) {
        int[] bshape = new int[x.dim()];
        for (int d = 0; d < x.dim(); d++) bshape[d] = d == 1 ? x.size(1) : 1;
        return x.sub(mean.reshape(bshape)).div(var.reshape(bshape).add(eps).sqrt()).mul(weight.reshape(bshape)).add(bias.reshape(bshape));
    }

    /** The float32 kernel with its own backward, for checked arguments. */
    static Result fused(Tensor x, Tensor weight, Tensor bias, double eps) {
        int[] shape = x.shape();
        int n = shape[0], c = shape[1], s = x.numel() / (n * c);
        Tensor xc = Contiguous.dense(x), wc = Contiguous.dense(weight), bc = Contiguous.dense(bias);
        float[] y = new float[x.numel()];
        double[] mean = new double[c], var = new double[c];
        BatchNormKernel.forward(xc.storage().floats(), xc.offset(), n, c, s, wc.storage().floats(), wc.offset(), bc.storage().floats(),
                bc.offset(), eps, y, mean, var);
        Tensor out = Autograd.record("batchNorm", Tensor.wrap(Storage.wrap(y), shape), new Tensor[] {x, weight, bias}, new Tensor[] {x, weight}, g -> {
            Tensor gc = Contiguous.dense(g);
            float[] dx = x.requiresGrad() ? new float[x.numel()] : null, dw = new float[c], db = new float[c];
            BatchNormKernel.backward(xc.storage().floats(), xc.offset(), gc.storage().floats(), gc.offset(), n, c, s, wc.storage().floats(),
                    wc.offset(), mean, var, eps, dx, dw, db);
            return new Tensor[] {dx == null ? null : Tensor.wrap(Storage.wrap(dx), shape), weight.requiresGrad() ? Tensor.wrap(Storage.wrap(dw), c) : null,
                    bias.requiresGrad() ? Tensor.wrap(Storage.wrap(db), c) : null};
        });
        return new Result(out, Tensor.fromArray(mean, c).to(DType.FLOAT32), Tensor.fromArray(var, c).to(DType.FLOAT32));
    }
}
