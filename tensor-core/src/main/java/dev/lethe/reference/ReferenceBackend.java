package dev.lethe.reference;

import dev.lethe.backend.Backend;
import dev.lethe.backend.BinaryOp;
import dev.lethe.backend.ReduceOp;
import dev.lethe.backend.UnaryOp;
import dev.lethe.tensor.DType;
import dev.lethe.tensor.Indexing;
import dev.lethe.tensor.Shapes;
import dev.lethe.tensor.Storage;
import dev.lethe.tensor.Tensor;

/**
 * The plain reference: every kernel as the obvious loop over row-major indices, computing in
 * float64 whatever the dtype, summing in index order. Slow on purpose and easy to audit;
 * every fast kernel is tested against it, and float64 tensors run on it.
 */
public class ReferenceBackend implements Backend {
    @Override
    public String name() {
        return "reference (float64, scalar)";
    }

    /** A fresh contiguous tensor of {@code dtype} and {@code shape}. */
    protected static Tensor empty(DType dtype, int[] shape) {
        return Tensor.zeros(dtype, shape);
    }

    /** Element {@code linear} (row-major) of {@code t}, broadcast to {@code shape}. */
    private static double at(Tensor t, int[] bStrides, int[] shape, int linear) {
        return t.storage().get(Indexing.offsetOf(linear, shape, bStrides, t.offset()));
    }

    private static int[] bstrides(Tensor t, int[] shape) {
        return Shapes.broadcastStrides(t.shape(), t.strides(), shape);
    }

    @Override
    public Tensor unary(UnaryOp op, Tensor x, double p, double q) {
        int[] shape = x.shape();
        Tensor out = empty(x.dtype(), shape);
        Storage o = out.storage();
        int[] st = x.strides();
        for (int i = 0; i < out.numel(); i++) o.set(i, op.apply(at(x, st, shape, i), p, q));
        return out;
    }

    @Override
    public Tensor binary(BinaryOp op, Tensor a, Tensor b) {
        int[] shape = Shapes.broadcast(op.name().toLowerCase(), a.shape(), b.shape());
        Tensor out = empty(a.dtype(), shape);
        int[] sa = bstrides(a, shape), sb = bstrides(b, shape);
        Storage o = out.storage();
        for (int i = 0; i < out.numel(); i++) o.set(i, op.apply(at(a, sa, shape, i), at(b, sb, shape, i)));
        return out;
    }

    @Override
    public Tensor where(Tensor cond, Tensor a, Tensor b) {
        int[] shape = Shapes.broadcast("where", Shapes.broadcast("where", cond.shape(), a.shape()), b.shape());
        Tensor out = empty(a.dtype(), shape);
        int[] sc = bstrides(cond, shape), sa = bstrides(a, shape), sb = bstrides(b, shape);
        for (int i = 0; i < out.numel(); i++) {
            out.storage().set(i, at(cond, sc, shape, i) != 0 ? at(a, sa, shape, i) : at(b, sb, shape, i));
        }
        return out;
    }

    @Override
    public Tensor reduce(ReduceOp op, Tensor x, int[] dims, boolean keepDim) {
        int[] shape = x.shape();
        int[] kept = Shapes.reduced(shape, dims, true);
        Tensor out = Tensor.full(op.identity(), DType.FLOAT64, kept);
        double[] acc = out.storage().doubles();
        int[] outStrides = Shapes.contiguousStrides(kept);
        for (int d : dims) outStrides[d] = 0;
        int[] st = x.strides();
        for (int i = 0; i < x.numel(); i++) {
            int j = Indexing.offsetOf(i, shape, outStrides, 0);
            acc[j] = op.combine(acc[j], at(x, st, shape, i));
        }
        Tensor result = out.to(x.dtype());
        return keepDim ? result : result.reshape(Shapes.reduced(shape, dims, false));
    }

    @Override
    public Tensor argReduce(boolean max, Tensor x, int dim, boolean keepDim) {
        int[] shape = x.shape();
        int n = shape[dim];
        int[] kept = shape.clone();
        kept[dim] = 1;
        Tensor out = empty(x.dtype(), kept);
        int[] st = x.strides();
        for (int j = 0; j < out.numel(); j++) {
            int[] idx = Indexing.coordinates(j, kept);
            int best = 0;
            double bestV = Double.NaN;
            for (int i = 0; i < n; i++) {
                idx[dim] = i;
                int off = x.offset();
                for (int d = 0; d < idx.length; d++) off += idx[d] * st[d];
                double v = x.storage().get(off);
                if (i == 0 || (max ? v > bestV : v < bestV) || (Double.isNaN(v) && !Double.isNaN(bestV))) {
                    best = i;
                    bestV = v;
                }
            }
            out.storage().set(j, best);
        }
        if (keepDim) return out;
        int[] s = new int[shape.length - 1];
        for (int d = 0, k = 0; d < shape.length; d++) if (d != dim) s[k++] = shape[d];
        return out.reshape(s);
    }

    @Override
    public Tensor matmul(Tensor a, Tensor b) {
        int[] as = a.shape(), bs = b.shape();
        int ra = as.length, rb = bs.length;
        int m = as[ra - 2], k = as[ra - 1], n = bs[rb - 1];
        int[] batch = Shapes.broadcast("matmul", java.util.Arrays.copyOf(as, ra - 2), java.util.Arrays.copyOf(bs, rb - 2));
        int[] outShape = java.util.Arrays.copyOf(batch, batch.length + 2);
        outShape[batch.length] = m;
        outShape[batch.length + 1] = n;
        Tensor out = empty(a.dtype(), outShape);
        int[] ast = a.strides(), bst = b.strides();
        int[] aBatch = Shapes.broadcastStrides(java.util.Arrays.copyOf(as, ra - 2), java.util.Arrays.copyOf(ast, ra - 2), batch);
        int[] bBatch = Shapes.broadcastStrides(java.util.Arrays.copyOf(bs, rb - 2), java.util.Arrays.copyOf(bst, rb - 2), batch);
        int batches = Shapes.numel(batch);
        Storage o = out.storage();
        for (int t = 0; t < batches; t++) {
            int ao = Indexing.offsetOf(t, batch, aBatch, a.offset());
            int bo = Indexing.offsetOf(t, batch, bBatch, b.offset());
            for (int i = 0; i < m; i++) {
                for (int j = 0; j < n; j++) {
                    double s = 0;
                    for (int p = 0; p < k; p++) {
                        s += a.storage().get(ao + i * ast[ra - 2] + p * ast[ra - 1]) * b.storage().get(bo + p * bst[rb - 2] + j * bst[rb - 1]);
                    }
                    o.set((t * m + i) * n + j, s);
                }
            }
        }
        return out;
    }

    @Override
    public void copyInto(Tensor dst, Tensor src) {
        int[] shape = dst.shape();
        int[] ss = bstrides(src, shape), ds = dst.strides();
        for (int i = 0; i < dst.numel(); i++) {
            dst.storage().set(Indexing.offsetOf(i, shape, ds, dst.offset()), at(src, ss, shape, i));
        }
    }

    @Override
    public Tensor cast(Tensor x, DType dtype) {
        Tensor out = empty(dtype, x.shape());
        copyInto(out, x);
        return out;
    }

    @Override
    public Tensor indexSelect(Tensor x, int dim, int[] index) {
        int[] outShape = x.shape();
        outShape[dim] = index.length;
        Tensor out = empty(x.dtype(), outShape);
        int[] st = x.strides();
        for (int i = 0; i < out.numel(); i++) {
            int[] idx = Indexing.coordinates(i, outShape);
            idx[dim] = index[idx[dim]];
            out.storage().set(i, x.storage().get(offset(x.offset(), idx, st)));
        }
        return out;
    }

    @Override
    public Tensor indexAdd(int[] shape, int dim, int[] index, Tensor src) {
        Tensor out = empty(src.dtype(), shape);
        int[] srcShape = src.shape(), outStrides = out.strides();
        for (int i = 0; i < src.numel(); i++) {
            int[] idx = Indexing.coordinates(i, srcShape);
            double v = src.storage().get(offset(src.offset(), idx, src.strides()));
            idx[dim] = index[idx[dim]];
            int o = offset(0, idx, outStrides);
            out.storage().set(o, out.storage().get(o) + v);
        }
        return out;
    }

    @Override
    public Tensor gather(Tensor x, int dim, Tensor index) {
        int[] outShape = index.shape();
        Tensor out = empty(x.dtype(), outShape);
        for (int i = 0; i < out.numel(); i++) {
            int[] idx = Indexing.coordinates(i, outShape);
            idx[dim] = (int) index.storage().get(offset(index.offset(), idx, index.strides()));
            out.storage().set(i, x.storage().get(offset(x.offset(), idx, x.strides())));
        }
        return out;
    }

    @Override
    public Tensor scatterAdd(int[] shape, int dim, Tensor index, Tensor src) {
        Tensor out = empty(src.dtype(), shape);
        int[] idxShape = index.shape(), outStrides = out.strides();
        for (int i = 0; i < index.numel(); i++) {
            int[] idx = Indexing.coordinates(i, idxShape);
            double v = src.storage().get(offset(src.offset(), idx, src.strides()));
            idx[dim] = (int) index.storage().get(offset(index.offset(), Indexing.coordinates(i, idxShape), index.strides()));
            int o = offset(0, idx, outStrides);
            out.storage().set(o, out.storage().get(o) + v);
        }
        return out;
    }

    @Override
    public Tensor unfold(Tensor x, int kh, int kw, int sh, int sw, int ph, int pw) {
        int[] s = x.shape(), st = x.strides();
        Tensor out = empty(x.dtype(), new int[] {s[0], s[1] * kh * kw, Shapes.windows(s[2], kh, sh, ph) * Shapes.windows(s[3], kw, sw, pw)});
        forEachWindowEntry(s, kh, kw, sh, sw, ph, pw, (b, ch, iy, ix, row, col) -> out.storage().set(
                offset(0, new int[] {b, row, col}, out.strides()),
                x.storage().get(offset(x.offset(), new int[] {b, ch, iy, ix}, st))));
        return out;
    }

    @Override
    public Tensor fold(Tensor cols, int[] shape, int kh, int kw, int sh, int sw, int ph, int pw) {
        Tensor out = empty(cols.dtype(), shape);
        int[] cs = cols.strides(), os = out.strides();
        forEachWindowEntry(shape, kh, kw, sh, sw, ph, pw, (b, ch, iy, ix, row, col) -> {
            int o = offset(0, new int[] {b, ch, iy, ix}, os);
            out.storage().set(o, out.storage().get(o) + cols.storage().get(offset(cols.offset(), new int[] {b, row, col}, cs)));
        });
        return out;
    }

    /** One entry of im2col: image pixel (b, ch, iy, ix) sits at column matrix entry (b, row, col). */
    private interface WindowEntry {
        void visit(int b, int ch, int iy, int ix, int row, int col);
    }

    /**
     * Visits every (pixel, column entry) pair of im2col for an image of {@code shape} [n, c, h, w],
     * in the order (b, ch, i, j, y, x), skipping positions that fall in the padding: row
     * (ch·kh + i)·kw + j, column y·ow + x, pixel (y·sh − ph + i, x·sw − pw + j). The shared walk
     * of {@link #unfold} and its adjoint {@link #fold}.
     */
    private static void forEachWindowEntry(int[] shape, int kh, int kw, int sh, int sw, int ph, int pw, WindowEntry visit) {
        int n = shape[0], c = shape[1], h = shape[2], w = shape[3];
        int oh = Shapes.windows(h, kh, sh, ph), ow = Shapes.windows(w, kw, sw, pw);
        for (int b = 0; b < n; b++)
            for (int ch = 0; ch < c; ch++)
                for (int i = 0; i < kh; i++)
                    for (int j = 0; j < kw; j++)
                        for (int y = 0; y < oh; y++)
                            for (int z = 0; z < ow; z++) {
                                int iy = y * sh - ph + i, ix = z * sw - pw + j;
                                if (iy < 0 || iy >= h || ix < 0 || ix >= w) continue;
                                visit.visit(b, ch, iy, ix, (ch * kh + i) * kw + j, y * ow + z);
                            }
    }

    private static int offset(int base, int[] idx, int[] strides) {
        int off = base;
        for (int d = 0; d < idx.length; d++) off += idx[d] * strides[d];
        return off;
    }
}
