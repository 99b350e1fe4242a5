package dev.lethe.cpu;

import dev.lethe.backend.BinaryOp;
import dev.lethe.backend.ReduceOp;
import dev.lethe.backend.UnaryOp;
import dev.lethe.reference.ReferenceBackend;
import dev.lethe.tensor.DType;
import dev.lethe.tensor.Indexing;
import dev.lethe.tensor.Shapes;
import dev.lethe.tensor.Tensor;

import java.util.Arrays;

/**
 * The CPU backend: float32 elementwise ops, reductions, copies and matrix products on the
 * Vector API, multi-threaded with results independent of the thread count. Anything else —
 * and every float64 tensor — runs on the {@link ReferenceBackend} it extends.
 */
public final class CpuBackend extends ReferenceBackend {
    @Override
    public String name() {
        return "cpu (" + Simd.describe() + ", " + Parallel.threads() + " threads)";
    }

    private static boolean f32(Tensor... ts) {
        for (Tensor t : ts) if (t.dtype() != DType.FLOAT32) return false;
        return true;
    }

    @Override
    public Tensor unary(UnaryOp op, Tensor x, double p, double q) {
        if (!f32(x)) return super.unary(op, x, p, q);
        Tensor out = empty(DType.FLOAT32, x.shape());
        unaryInto(op, x, p, q, out);
        return out;
    }

    @Override
    public void unaryInto(UnaryOp op, Tensor x, double p, double q, Tensor out) {
        if (!f32(x, out)) {
            super.unaryInto(op, x, p, q, out);
            return;
        }
        float[] o = out.storage().floats(), in = x.storage().floats();
        float fp = (float) p, fq = (float) q;
        StridedLoop.run(out.shape(), out.strides(), out.offset(), x.strides(), x.offset(), out.strides(), out.offset(),
                (n, oo, os, a, as, b, bs) -> ElementwiseKernels.unaryRow(op, fp, fq, n, o, oo, os, in, a, as));
    }

    @Override
    public Tensor binary(BinaryOp op, Tensor a, Tensor b) {
        if (!f32(a, b)) return super.binary(op, a, b);
        Tensor out = empty(DType.FLOAT32, Shapes.broadcast(op.name().toLowerCase(), a.shape(), b.shape()));
        binaryInto(op, a, b, out);
        return out;
    }

    @Override
    public void binaryInto(BinaryOp op, Tensor a, Tensor b, Tensor out) {
        if (!f32(a, b, out)) {
            super.binaryInto(op, a, b, out);
            return;
        }
        int[] shape = out.shape();
        float[] o = out.storage().floats(), fa = a.storage().floats(), fb = b.storage().floats();
        StridedLoop.run(shape, out.strides(), out.offset(),
                Shapes.broadcastStrides(a.shape(), a.strides(), shape), a.offset(),
                Shapes.broadcastStrides(b.shape(), b.strides(), shape), b.offset(),
                (n, oo, os, ai, as, bi, bs) -> ElementwiseKernels.binaryRow(op, n, o, oo, os, fa, ai, as, fb, bi, bs));
    }

    @Override
    public void copyInto(Tensor dst, Tensor src) {
        if (!f32(dst, src)) {
            super.copyInto(dst, src);
            return;
        }
        int[] shape = dst.shape();
        float[] d = dst.storage().floats(), s = src.storage().floats();
        int[] ss = Shapes.broadcastStrides(src.shape(), src.strides(), shape);
        StridedLoop.run(shape, dst.strides(), dst.offset(), ss, src.offset(), ss, src.offset(), (n, oo, os, a, as, b, bs) -> {
            if (os == 1 && as == 1) System.arraycopy(s, a, d, oo, n);
            else for (int k = 0; k < n; k++) d[oo + k * os] = s[a + k * as];
        });
    }

    @Override
    public Tensor cast(Tensor x, DType dtype) {
        if (!f32(x) || dtype != DType.FLOAT32) return super.cast(x, dtype);
        Tensor out = empty(DType.FLOAT32, x.shape());
        copyInto(out, x);
        return out;
    }

    @Override
    public Tensor reduce(ReduceOp op, Tensor x, int[] dims, boolean keepDim) {
        if (!f32(x)) return super.reduce(op, x, dims, keepDim);
        int[] shape = x.shape();
        int[] outShape = Shapes.reduced(shape, dims, keepDim);
        if (dims.length == 0) return unary(UnaryOp.IDENTITY, x, 0, 0).reshape(outShape);
        Tensor out = empty(DType.FLOAT32, outShape);
        if (x.numel() == 0) {
            Arrays.fill(out.storage().floats(), (float) op.identity());
            return out;
        }
        // Is the reduced set one run of adjacent dims? Then contiguous data is [outer, r, inner] as is.
        boolean adjacent = dims[dims.length - 1] - dims[0] == dims.length - 1;
        Tensor src = x;
        int outer = 1, r = 1, inner = 1;
        if (adjacent && x.isContiguous()) {
            for (int d = 0; d < shape.length; d++) {
                if (d < dims[0]) outer *= shape[d];
                else if (d <= dims[dims.length - 1]) r *= shape[d];
                else inner *= shape[d];
            }
        } else {
            // Move the reduced dims last and copy: the result is [kept…, reduced…] contiguous.
            boolean[] red = Shapes.mask(shape.length, dims);
            int[] order = new int[shape.length];
            int k = 0;
            for (int d = 0; d < shape.length; d++) if (!red[d]) order[k++] = d;
            for (int d : dims) order[k++] = d;
            Tensor moved = Tensor.wrap(x.storage(), permuted(shape, order), permuted(x.strides(), order), x.offset());
            for (int d = 0; d < shape.length; d++) {
                if (red[d]) r *= shape[d];
                else outer *= shape[d];
            }
            int kept = shape.length - dims.length;
            if (ReduceKernels.gathers(outer, r)) {
                // Each output's values gathered into a per-thread buffer: the same segments as
                // the copy below, without writing a fresh tensor of x's size.
                int[] ms = moved.shape(), mt = moved.strides();
                ReduceKernels.reduceGathered(op, x.storage().floats(), x.offset(), Arrays.copyOf(ms, kept), Arrays.copyOf(mt, kept),
                        Arrays.copyOfRange(ms, kept, ms.length), Arrays.copyOfRange(mt, kept, mt.length), out.storage().floats());
                return out;
            }
            src = empty(DType.FLOAT32, moved.shape());
            copyInto(src, moved);
        }
        ReduceKernels.reduce(op, src.storage().floats(), src.offset(), outer, r, inner, out.storage().floats());
        return out;
    }

    private static int[] permuted(int[] a, int[] order) {
        int[] out = new int[order.length];
        for (int i = 0; i < order.length; i++) out[i] = a[order[i]];
        return out;
    }

    @Override
    public Tensor matmul(Tensor a, Tensor b) {
        if (!f32(a, b)) return super.matmul(a, b);
        int[] as = a.shape(), bs = b.shape();
        int ra = as.length, rb = bs.length;
        int m = as[ra - 2], k = as[ra - 1], n = bs[rb - 1];
        int[] aBatchShape = Arrays.copyOf(as, ra - 2), bBatchShape = Arrays.copyOf(bs, rb - 2);
        int[] batch = Shapes.broadcast("matmul", aBatchShape, bBatchShape);
        int[] outShape = Arrays.copyOf(batch, batch.length + 2);
        outShape[batch.length] = m;
        outShape[batch.length + 1] = n;
        Tensor out = empty(DType.FLOAT32, outShape);
        Tensor a2 = gemmReady(a), b2 = gemmReady(b);
        int[] ast = a2.strides(), bst = b2.strides();
        boolean ta = ast[ra - 1] != 1, tb = bst[rb - 1] != 1;
        int lda = ta ? ast[ra - 1] : ast[ra - 2], ldb = tb ? bst[rb - 1] : bst[rb - 2];
        int[] aBatch = Shapes.broadcastStrides(aBatchShape, Arrays.copyOf(ast, ra - 2), batch);
        int[] bBatch = Shapes.broadcastStrides(bBatchShape, Arrays.copyOf(bst, rb - 2), batch);
        float[] fa = a2.storage().floats(), fb = b2.storage().floats(), fo = out.storage().floats();
        int batches = Shapes.numel(batch);
        int ldaFinal = Math.max(lda, ta ? m : k), ldbFinal = Math.max(ldb, tb ? k : n);
        Parallel.RangeBody products = (s, e) -> {
            for (int t = s; t < e; t++) {
                int ao = Indexing.offsetOf(t, batch, aBatch, a2.offset());
                int bo = Indexing.offsetOf(t, batch, bBatch, b2.offset());
                Gemm.sgemm(ta, tb, m, n, k, fa, ao, ldaFinal, fb, bo, ldbFinal, fo, t * m * n, n, false);
            }
        };
        // Many small products (a convolution's per-image GEMMs) run one per thread: forking
        // inside each tiny GEMM costs more than it computes. Each product's bits do not depend
        // on which thread runs it, so this choice cannot change the result.
        if (batches > 1 && (long) m * n * k < (1L << 22)) Parallel.forChunks(batches, 1, products);
        else products.run(0, batches);
        return out;
    }

    /**
     * float32 index-select of a contiguous tensor: for each of the dims before {@code dim},
     * one array copy per selected slice (a whole row for dim 0 — the DataLoader's batches).
     * The copies are spread over the kernel threads in chunks of about {@value #GATHER_GRAIN}
     * floats: a batch's rows sit far apart in a large data set, so each copy waits on memory,
     * and two threads keep twice as many loads in flight. A copy moves bits, so the split
     * cannot change the result.
     */
    @Override
    public Tensor indexSelect(Tensor x, int dim, int[] index) {
        if (!f32(x) || !x.isContiguous()) return super.indexSelect(x, dim, index);
        int[] shape = x.shape();
        int outer = 1, inner = 1;
        for (int d = 0; d < dim; d++) outer *= shape[d];
        for (int d = dim + 1; d < shape.length; d++) inner *= shape[d];
        shape[dim] = index.length;
        Tensor out = empty(DType.FLOAT32, shape);
        float[] src = x.storage().floats(), dst = out.storage().floats();
        int size = x.size(dim), picks = index.length, slice = inner, base = x.offset();
        // Slice t of the output (t = q·picks + r) is slice index[r] of outer block q.
        Parallel.forChunks(outer * picks, Math.max(1, GATHER_GRAIN / Math.max(1, inner)), (first, end) -> {
            for (int t = first; t < end; t++) {
                int q = t / picks, r = t % picks;
                System.arraycopy(src, base + (q * size + index[r]) * slice, dst, t * slice, slice);
            }
        });
        return out;
    }

    /** Floats per parallel chunk of {@link #indexSelect}. */
    private static final int GATHER_GRAIN = 1 << 14;

    @Override
    public Tensor unfold(Tensor x, int kh, int kw, int sh, int sw, int ph, int pw) {
        if (!f32(x)) return super.unfold(x, kh, kw, sh, sw, ph, pw);
        int[] s = x.shape();
        int oh = Shapes.windows(s[2], kh, sh, ph), ow = Shapes.windows(s[3], kw, sw, pw);
        Tensor out = empty(DType.FLOAT32, new int[] {s[0], s[1] * kh * kw, oh * ow});
        Tensor src = contiguous(x);
        Im2Col.unfold(src.storage().floats(), src.offset(), s[0] * s[1], s[2], s[3], kh, kw, sh, sw, ph, pw, out.storage().floats());
        return out;
    }

    @Override
    public Tensor fold(Tensor cols, int[] shape, int kh, int kw, int sh, int sw, int ph, int pw) {
        if (!f32(cols)) return super.fold(cols, shape, kh, kw, sh, sw, ph, pw);
        Tensor out = empty(DType.FLOAT32, shape);
        Tensor src = contiguous(cols);
        Im2Col.fold(src.storage().floats(), src.offset(), shape[0] * shape[1], shape[2], shape[3], kh, kw, sh, sw, ph, pw,
                out.storage().floats());
        return out;
    }

    /** t itself when its elements lie in row-major order (from its offset), else a contiguous copy. */
    private Tensor contiguous(Tensor t) {
        if (t.isContiguous()) return t;
        Tensor c = empty(DType.FLOAT32, t.shape());
        copyInto(c, t);
        return c;
    }

    /**
     * The operand as GEMM can read it: rows or columns of its last two dims unit-stride
     * (a transposed view is read in place); otherwise a contiguous copy.
     */
    private Tensor gemmReady(Tensor t) {
        int[] st = t.strides(), sh = t.shape();
        int r = st.length;
        boolean rowMajor = st[r - 1] == 1 || sh[r - 1] == 1;
        boolean colMajor = st[r - 2] == 1 || sh[r - 2] == 1;
        if (rowMajor && st[r - 1] == 1 && st[r - 2] >= sh[r - 1]) return t;
        if (colMajor && st[r - 2] == 1 && st[r - 1] >= sh[r - 2] && sh[r - 1] > 1) return t;
        Tensor c = empty(DType.FLOAT32, sh);
        copyInto(c, t);
        return c;
    }
}
