package dev.lethe.cuda;

import dev.lethe.tensor.Shapes;
import dev.lethe.tensor.Tensor;

import java.util.Arrays;

/**
 * matmul on the GPU: [..., m, k] · [..., k, n] → [..., m, n] with broadcast batch dims, as one
 * strided-batched GEMM. An operand is read in place when its last two dims are row- or
 * column-major (a transposed view is a transposed GEMM operand) and its batch dims step by
 * one stride; otherwise it is first copied into that form.
 */
final class BatchedGemm {
    private BatchedGemm() {}

    /** An operand as the GEMM reads it. */
    private record Operand(Tensor t, boolean trans, int ld, long batchStride) {}

    static Tensor run(CudaBackend be, Tensor a, Tensor b) {
        int[] as = a.shape(), bs = b.shape();
        int ra = as.length, rb = bs.length;
        int m = as[ra - 2], k = as[ra - 1], n = bs[rb - 1];
        int[] batch = Shapes.broadcast("matmul", Arrays.copyOf(as, ra - 2), Arrays.copyOf(bs, rb - 2));
        int[] outShape = Arrays.copyOf(batch, batch.length + 2);
        outShape[batch.length] = m;
        outShape[batch.length + 1] = n;
        if (k == 0) return be.zeros(outShape);
        Tensor out = be.empty(outShape);
        int batches = Shapes.numel(batch);
        if (out.numel() == 0) return out;
        Operand oa = operand(be, a, batch), ob = operand(be, b, batch);
        be.gemm().sgemm(oa.trans(), ob.trans(), m, n, k, CudaBackend.ptr(oa.t()), oa.ld(), oa.batchStride(),
                CudaBackend.ptr(ob.t()), ob.ld(), ob.batchStride(), CudaBackend.ptr(out), n, (long) m * n, batches);
        return out;
    }

    private static Operand operand(CudaBackend be, Tensor t, int[] batch) {
        int r = t.dim();
        int[] sh = t.shape(), st = t.strides();
        int rows = sh[r - 2], cols = sh[r - 1];
        long stride = batchStride(Arrays.copyOf(sh, r - 2), Arrays.copyOf(st, r - 2), batch);
        if (stride >= 0) {
            if (st[r - 1] == 1 && st[r - 2] >= Math.max(1, cols)) return new Operand(t, false, st[r - 2], stride);
            if (st[r - 2] == 1 && st[r - 1] >= Math.max(1, rows)) return new Operand(t, true, st[r - 1], stride);
        }
        // Copy into [batch…, rows, cols] row-major: then every batch is rows·cols apart.
        int[] full = Arrays.copyOf(batch, batch.length + 2);
        full[batch.length] = rows;
        full[batch.length + 1] = cols;
        Tensor c = be.empty(full);
        be.copyInto(c, t);
        return new Operand(c, false, cols, (long) rows * cols);
    }

    /**
     * The one stride by which the operand's matrices follow each other over the flattened
     * broadcast batch (0 if they are all the same matrix), or −1 if there is none.
     */
    private static long batchStride(int[] shape, int[] strides, int[] batch) {
        if (Shapes.numel(batch) <= 1) return 0;
        int[] bst = Shapes.broadcastStrides(shape, strides, batch);
        Layout l = Layout.of(batch, bst);
        return l.rank() == 1 ? l.strides(0)[0] : -1;
    }
}
