package dev.lethe.cuda.check;

import dev.lethe.backend.Backends;
import dev.lethe.backend.BinaryOp;
import dev.lethe.backend.UnaryOp;
import dev.lethe.tensor.Tensor;

import java.util.ArrayList;
import java.util.List;

import static dev.lethe.cuda.check.Compare.distinct;
import static dev.lethe.cuda.check.Compare.positive;
import static dev.lethe.cuda.check.Compare.randn;
import static dev.lethe.cuda.check.Compare.sameAsCpu;

/**
 * Every kernel behind tensor-core's Backend on the GPU against the CPU, on odd sizes (1, 3,
 * 7, 17, 33, 1001 — the float4 kernels' tails), contiguous, transposed, offset (unaligned) and
 * broadcast inputs.
 */
final class BackendChecks {
    private static final int[] SIZES = {1, 3, 7, 17, 33, 1001};

    private BackendChecks() {}

    static List<Check> all() {
        List<Check> c = new ArrayList<>();
        c.add(new Check("unary ops, every UnaryOp, odd sizes and strided views", BackendChecks::unary));
        c.add(new Check("binary ops, every BinaryOp, broadcast and strided", BackendChecks::binary));
        c.add(new Check("unary and binary ops into a given output: fresh, in place, an unaligned view", BackendChecks::intoOutputs));
        c.add(new Check("where and strided copies", BackendChecks::whereAndCopies));
        c.add(new Check("sum/max/min over dims, split long rows", BackendChecks::reductions));
        c.add(new Check("argmax/argmin along each dim", BackendChecks::argReductions));
        c.add(new Check("matmul: odd sizes, transposed views, batched and broadcast", BackendChecks::matmul));
        c.add(new Check("indexSelect/indexAdd/gather/scatterAdd with their gradients", BackendChecks::indexing));
        c.add(new Check("unfold/fold and conv2d with its gradients", BackendChecks::convolution));
        return c;
    }

    private static double p(UnaryOp op) {
        return switch (op) {
            case SCALE_SHIFT -> 1.5;
            case POW -> 2.5;
            case CLAMP, IN_RANGE -> -0.5;
            default -> 0;
        };
    }

    private static double q(UnaryOp op) {
        return switch (op) {
            case SCALE_SHIFT -> -0.25;
            case CLAMP, IN_RANGE -> 0.5;
            default -> 0;
        };
    }

    private static void unary() {
        for (UnaryOp op : UnaryOp.values()) {
            boolean pos = op == UnaryOp.LOG || op == UnaryOp.SQRT || op == UnaryOp.POW;
            for (int n : SIZES) {
                Tensor x = pos ? positive(n, 2, n) : randn(n, 2, n).mul(2);
                sameAsCpu(op + " n=" + n, t -> Backends.of(t[0]).unary(op, t[0], p(op), q(op)), 1e-6, 2e-6, x);
                // an offset view (not 16-byte aligned) and a transpose
                sameAsCpu(op + " narrow n=" + n, t -> Backends.of(t[0]).unary(op, t[0].narrow(1, n > 1 ? 1 : 0, n > 1 ? n - 1 : 1), p(op), q(op)), 1e-6, 2e-6, x);
                sameAsCpu(op + " transpose n=" + n, t -> Backends.of(t[0]).unary(op, t[0].t(), p(op), q(op)), 1e-6, 2e-6, x);
            }
        }
    }

    private static void binary() {
        for (BinaryOp op : BinaryOp.values()) {
            for (int n : SIZES) {
                Tensor a = randn(10 + n, 3, n), b = op == BinaryOp.DIV ? positive(20 + n, 3, n) : randn(20 + n, 3, n);
                if (op.name().length() == 2) b = a.narrow(0, 0, 1).expand(3, n).add(b.mul(0).add(a.lt(0.0))); // comparisons: equal pairs too
                Tensor bb = b;
                sameAsCpu(op + " same shape n=" + n, t -> Backends.of(t[0]).binary(op, t[0], t[1]), 1e-6, 1e-6, a, bb);
                sameAsCpu(op + " row broadcast n=" + n, t -> Backends.of(t[0]).binary(op, t[0], t[1].narrow(0, 1, 1)), 1e-6, 1e-6, a, bb);
                sameAsCpu(op + " column broadcast n=" + n, t -> Backends.of(t[0]).binary(op, t[0].narrow(1, 0, 1), t[1]), 1e-6, 1e-6, a, bb);
                sameAsCpu(op + " transposed n=" + n, t -> Backends.of(t[0]).binary(op, t[0].t(), t[1].t()), 1e-6, 1e-6, a, bb);
            }
        }
        sameAsCpu("scalar · tensor", t -> t[0].mul(Tensor.scalar(3)).add(Tensor.scalar(1).sub(t[0])), 1e-6, 1e-6, randn(1, 7, 5));
    }

    /**
     * The {@code Into} forms: a fresh contiguous output (the float4 kernels write it), x itself
     * (in place, exact alias) and an offset view of a larger tensor (not 16-byte aligned: the
     * generic copy path).
     */
    private static void intoOutputs() {
        for (int n : SIZES) {
            Tensor x = randn(30 + n, 3, n), y = randn(40 + n, 3, n), row = randn(50 + n, 1, n);
            sameAsCpu("relu into a fresh output n=" + n, t -> t[0].relu(t[0].mul(0)), 0, 0, x);
            sameAsCpu("exp in place n=" + n, t -> {
                Tensor z = t[0].mul(1);
                return z.exp(z);
            }, 1e-6, 2e-6, x);
            sameAsCpu("add into a fresh output n=" + n, t -> t[0].add(t[1], t[0].mul(0)), 0, 0, x, y);
            sameAsCpu("sub of a broadcast row, in place n=" + n, t -> {
                Tensor z = t[0].mul(1);
                return z.sub(t[1], z);
            }, 0, 0, x, row);
            sameAsCpu("mul into an offset view n=" + n, t -> {
                Tensor wide = Tensor.zeros(dev.lethe.tensor.DType.FLOAT32, t[0].device(), 3 * n + 1);
                Tensor view = wide.narrow(0, 1, 3 * n).reshape(3, n);
                t[0].mul(t[1], view);
                return wide;
            }, 0, 0, x, y);
        }
    }

    private static void whereAndCopies() {
        for (int n : SIZES) {
            Tensor c = randn(n, 3, n).gt(0.0), a = randn(n + 1, 3, n), b = randn(n + 2, 1, n);
            sameAsCpu("where n=" + n, t -> Tensor.where(t[0], t[1], t[2]), 0, 0, c, a, b);
            sameAsCpu("contiguous of a transpose n=" + n, t -> t[0].t().contiguous(), 0, 0, a);
            sameAsCpu("expand then copy n=" + n, t -> t[0].expand(4, 3, n).contiguous(), 0, 0, a);
            sameAsCpu("copy_ into a narrowed view n=" + n, t -> {
                Tensor z = Tensor.zeros(dev.lethe.tensor.DType.FLOAT32, t[0].device(), 3, n + 2);
                z.narrow(1, 1, n).copy_(t[0]);
                return z;
            }, 0, 0, a);
        }
    }

    private static void reductions() {
        Tensor x = randn(3, 7, 17, 33);
        int[][] dimSets = {{0}, {1}, {2}, {0, 1}, {1, 2}, {0, 2}, {}};
        for (int[] dims : dimSets) {
            String d = java.util.Arrays.toString(dims);
            sameAsCpu("sum " + d, t -> t[0].sum(dims, false), 1e-5, 1e-5, x);
            sameAsCpu("max " + d, t -> t[0].max(dims, true), 0, 0, x);
            sameAsCpu("min " + d, t -> t[0].min(dims, false), 0, 0, x);
            sameAsCpu("sum of a transpose " + d, t -> t[0].permute(2, 0, 1).sum(dims, false), 1e-5, 1e-5, x);
        }
        Tensor longRows = randn(4, 3, 100_003); // few long rows: the two-pass split
        sameAsCpu("sum of 3 rows of 100003", t -> t[0].sum(new int[] {1}, false), 1e-3, 1e-4, longRows);
        sameAsCpu("max of 3 rows of 100003", t -> t[0].max(new int[] {1}, false), 0, 0, longRows);
        sameAsCpu("sum of everything, 1001x33", t -> t[0].sum(), 1e-2, 1e-4, randn(5, 1001, 33));
        sameAsCpu("mean over rows, 1001x33", t -> t[0].mean(new int[] {0}, false), 1e-5, 1e-5, randn(6, 1001, 33));
        // max starts from −∞ and min from +∞, whatever the values; a NaN wins, as Java's Math.max/min
        Tensor negative = randn(9, 5, 33).abs().neg();
        sameAsCpu("max of rows below zero", t -> t[0].max(new int[] {1}, false), 0, 0, negative);
        sameAsCpu("max of columns below zero", t -> t[0].max(new int[] {0}, false), 0, 0, negative);
        sameAsCpu("min of rows above zero", t -> t[0].neg().min(new int[] {1}, false), 0, 0, negative);
        float[] v = randn(10, 5, 33).toFloatArray();
        v[40] = Float.NaN; // row 1, column 7
        Tensor withNaN = Tensor.fromArray(v, 5, 33);
        for (int dim = 0; dim < 2; dim++) {
            int[] dims = {dim};
            sameAsCpu("max with a NaN, dim " + dim, t -> t[0].max(dims, false), 0, 0, withNaN);
            sameAsCpu("min with a NaN, dim " + dim, t -> t[0].min(dims, false), 0, 0, withNaN);
        }
    }

    private static void argReductions() {
        Tensor x = distinct(7, 5, 17, 33);
        for (int d = 0; d < 3; d++) {
            int dim = d;
            sameAsCpu("argmax dim " + d, t -> t[0].argmax(dim, false), 0, 0, x);
            sameAsCpu("argmin dim " + d, t -> t[0].argmin(dim, true), 0, 0, x);
        }
        sameAsCpu("argmax of a transpose", t -> t[0].t().argmax(1, false), 0, 0, distinct(8, 33, 17));
    }

    private static void matmul() {
        int[][] mkn = {{1, 1, 1}, {3, 7, 5}, {17, 33, 65}, {129, 257, 130}, {1, 300, 1}, {200, 1, 300}, {64, 64, 64}};
        for (int[] s : mkn) {
            int m = s[0], k = s[1], n = s[2];
            double atol = 1e-4 * Math.sqrt(k);
            String d = m + "x" + k + " · " + k + "x" + n;
            sameAsCpu(d, t -> t[0].matmul(t[1]), atol, 1e-4, randn(m, m, k), randn(n, k, n));
            sameAsCpu(d + " Aᵀ", t -> t[0].t().matmul(t[1]), atol, 1e-4, randn(m, k, m), randn(n, k, n));
            sameAsCpu(d + " Bᵀ", t -> t[0].matmul(t[1].t()), atol, 1e-4, randn(m, m, k), randn(n, n, k));
            sameAsCpu(d + " Aᵀ·Bᵀ", t -> t[0].t().matmul(t[1].t()), atol, 1e-4, randn(m, k, m), randn(n, n, k));
        }
        sameAsCpu("batched [4,17,33]·[33,9]", t -> t[0].matmul(t[1]), 1e-3, 1e-4, randn(1, 4, 17, 33), randn(2, 33, 9));
        sameAsCpu("broadcast [2,1,7,5]·[3,5,4]", t -> t[0].matmul(t[1]), 1e-3, 1e-4, randn(3, 2, 1, 7, 5), randn(4, 3, 5, 4));
        sameAsCpu("vector·matrix", t -> t[0].matmul(t[1]), 1e-3, 1e-4, randn(5, 33), randn(6, 33, 7));
    }

    private static void indexing() {
        Tensor x = randn(9, 7, 5, 3);
        int[] idx = {4, 0, 4, 2, 1, 4};
        for (int d = 0; d < 3; d++) {
            int dim = d;
            int[] ix = java.util.Arrays.stream(idx).map(i -> i % x.size(dim)).toArray();
            sameAsCpu("indexSelect dim " + d, t -> t[0].indexSelect(dim, ix), 0, 0, x);
            sameAsCpu("indexSelect backward (indexAdd, repeated) dim " + d, t -> {
                Tensor leaf = t[0].detach().requiresGrad(true);
                leaf.indexSelect(dim, ix).mul(t[1].indexSelect(dim, ix)).sum().backward();
                return leaf.grad();
            }, 1e-6, 1e-6, x, randn(10, 7, 5, 3));
        }
        Tensor index = Tensor.fromArray(new float[] {0, 4, 2, 1, 1, 3, 0, 2, 4, 4, 3, 0}, 4, 3);
        sameAsCpu("gather dim 1 and its scatterAdd backward", t -> {
            Tensor leaf = t[0].detach().requiresGrad(true);
            leaf.gather(1, t[1]).mul(t[1].add(1)).sum().backward();
            return Tensor.concat(0, leaf.gather(1, t[1]).detach(), leaf.grad().narrow(1, 0, 3));
        }, 1e-6, 1e-6, randn(11, 4, 5), index);
        sameAsCpu("embedding rows", t -> Tensor.embedding(t[0], 3, 1, 3, 0), 0, 0, randn(12, 4, 6));
    }

    private static void convolution() {
        Tensor x = randn(13, 2, 3, 9, 7);
        Tensor w = randn(14, 4, 3, 3, 3).mul(0.3), b = randn(15, 4);
        sameAsCpu("unfold 3x3 stride 2 pad 1", t -> Backends.of(t[0]).unfold(t[0], 3, 3, 2, 2, 1, 1), 0, 0, x);
        sameAsCpu("fold 3x3 stride 2 pad 1", t -> Backends.of(t[0]).fold(t[0], new int[] {2, 3, 9, 7}, 3, 3, 2, 2, 1, 1), 1e-6, 1e-6,
                randn(16, 2, 27, 20));
        sameAsCpu("fold 2x3 stride 1 pad 0 (overlapping)", t -> Backends.of(t[0]).fold(t[0], new int[] {2, 3, 9, 7}, 2, 3, 1, 1, 0, 0), 1e-5, 1e-5,
                randn(17, 2, 18, 40));
        for (int[] sp : new int[][] {{1, 1}, {2, 0}, {1, 0}}) {
            String d = "conv2d stride " + sp[0] + " pad " + sp[1];
            sameAsCpu(d, t -> t[0].conv2d(t[1], t[2], sp[0], sp[1]), 1e-4, 1e-4, x, w, b);
            sameAsCpu(d + " ∂x, ∂w, ∂b", t -> {
                Tensor xl = t[0].detach().requiresGrad(true), wl = t[1].detach().requiresGrad(true), bl = t[2].detach().requiresGrad(true);
                xl.conv2d(wl, bl, sp[0], sp[1]).square().sum().backward();
                return Tensor.concat(0, xl.grad().flatten(), wl.grad().flatten(), bl.grad().flatten());
            }, 1e-3, 1e-4, x, w, b);
        }
        sameAsCpu("maxPool2d 2 and its gradient (composed on the GPU)", t -> {
            Tensor xl = t[0].detach().requiresGrad(true);
            Tensor y = xl.maxPool2d(2);
            y.mul(y).sum().backward();
            return Tensor.concat(0, y.flatten(), xl.grad().flatten());
        }, 1e-6, 1e-6, distinct(18, 2, 3, 9, 7));
    }
}
