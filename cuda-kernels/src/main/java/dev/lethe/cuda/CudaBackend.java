package dev.lethe.cuda;

import dev.lethe.backend.Backend;
import dev.lethe.backend.Backends;
import dev.lethe.backend.BinaryOp;
import dev.lethe.backend.CrossEntropyKernels;
import dev.lethe.backend.DeviceMemory;
import dev.lethe.backend.OptimizerKernels;
import dev.lethe.backend.PoolingKernels;
import dev.lethe.backend.ReduceOp;
import dev.lethe.backend.SoftmaxKernels;
import dev.lethe.backend.SurgeryKernels;
import dev.lethe.backend.UnaryOp;
import dev.lethe.tensor.DType;
import dev.lethe.tensor.Device;
import dev.lethe.tensor.Shapes;
import dev.lethe.tensor.Storage;
import dev.lethe.tensor.Tensor;
import jcuda.driver.CUdeviceptr;

import java.util.Arrays;
import java.util.List;

/**
 * tensor-core's kernel interface on one CUDA GPU, with the PTX kernels of {@code src/main/cuda}
 * and cuBLAS (or the own tiled SGEMM) for matrix products. float32 only.
 *
 * <p>Every output is fresh device memory, except where an {@code Into} method is given a
 * contiguous output on this GPU, which it writes straight into. Inputs on this GPU are read in place (strided views
 * through a {@link Layout}); inputs on the host — a scalar an op made, a mask — are copied
 * over first. Kernels queue on the context's one stream; nothing here waits for the GPU except
 * copies to the host.
 */
public final class CudaBackend implements Backend {
    private static final CudaBackend[] BACKENDS = new CudaBackend[64];
    /** Rows fewer than this with long rows are reduced in two passes, so more than a few blocks work. */
    private static final int FEW_ROWS = 256, SPLIT = 1 << 14;

    private final CudaContext context;
    private final Device device;
    private final Gemm gemm;

    private CudaBackend(CudaContext context) {
        this.context = context;
        this.device = Device.cuda(context.ordinal());
        this.gemm = chooseGemm(context);
    }

    /**
     * The backend of GPU {@code ordinal}.
     *
     * @throws IllegalStateException "no CUDA device: …" without one
     */
    public static synchronized CudaBackend of(int ordinal) {
        CudaContext c = CudaContext.of(ordinal);
        if (BACKENDS[ordinal] == null) BACKENDS[ordinal] = new CudaBackend(c);
        return BACKENDS[ordinal];
    }

    /**
     * cuBLAS where JCublas2 loads (it links libcublas.so.12, which a CUDA 13 host lacks), else
     * the own tiled kernel. {@code -Dlethe.cuda.gemm=own} forces the own kernel.
     */
    private static Gemm chooseGemm(CudaContext context) {
        if ("own".equalsIgnoreCase(System.getProperty("lethe.cuda.gemm", ""))) return new TiledGemm(context, "chosen with -Dlethe.cuda.gemm=own");
        try {
            return new CublasGemm(context);
        } catch (Throwable t) { // UnsatisfiedLinkError without libcublas.so.12, or cublasCreate failing
            return new TiledGemm(context, "cuBLAS did not load: " + CudaProbe.explain(t).replace("JCuda's native driver binding", "JCublas2's native binding"));
        }
    }

    /** Which SGEMM runs matrix products here: "cuBLAS (JCublas 12.6.0)" or "own tiled SGEMM (cuBLAS did not load: …)". */
    public String gemmImplementation() {
        return gemm.describe();
    }

    @Override
    public String name() {
        return device + " (" + CudaProbe.answer().device() + "; GEMM: " + gemm.describe() + ")";
    }

    public Device device() {
        return device;
    }

    public CudaContext context() {
        return context;
    }

    Gemm gemm() {
        return gemm;
    }

    // ---------------------------------------------------------------- memory

    /** A fresh contiguous float32 tensor on this GPU; contents undefined. */
    public Tensor empty(int... shape) {
        return Tensor.wrap(Storage.onDevice(new CudaMemory(this, Shapes.numel(shape))), shape);
    }

    /** Zeros on this GPU. */
    public Tensor zeros(int... shape) {
        Tensor t = empty(shape);
        context.fill(memory(t).pointer(), 0, t.numel(), 0f);
        return t;
    }

    /** t itself if it is on this GPU; a host tensor copied over (float64 rounded to float32). */
    public Tensor onDevice(Tensor t) {
        DeviceMemory m = t.storage().deviceMemory();
        if (m == null) {
            float[] host = t.toFloatArray();
            Tensor d = empty(t.shape());
            context.upload(host, 0, memory(d).pointer(), 0, host.length);
            return d;
        }
        if (!(m instanceof CudaMemory c) || c.backend() != this) {
            throw new IllegalArgumentException(device + ": an operand lives on " + m.device() + "; move it with to(" + device + ") first");
        }
        return t;
    }

    static CudaMemory memory(Tensor t) {
        return (CudaMemory) t.storage().deviceMemory();
    }

    /** The device address of t's element (0, …, 0), for benchmarks and other JCuda code; t must live on a CUDA device. */
    public static CUdeviceptr ptr(Tensor t) {
        return memory(t).pointer(t.offset());
    }

    /** t if contiguous from a 16-byte boundary (float4 loads), else a fresh contiguous copy. */
    private Tensor aligned(Tensor t) {
        return t.isContiguous() && t.offset() % 4 == 0 ? t : copyOf(t);
    }

    /** t if contiguous, else a fresh contiguous copy. */
    private Tensor contiguous(Tensor t) {
        return t.isContiguous() ? t : copyOf(t);
    }

    private Tensor copyOf(Tensor t) {
        Tensor out = empty(t.shape());
        copyInto(out, t);
        return out;
    }

    // ---------------------------------------------------------------- fused kernels for tensor-core's SPIs

    /** {@link CudaOptimizerSteps}' fused SGD and Adam/AdamW kernels, which tensor-core's optimisers then use. */
    private static final OptimizerKernels OPTIMIZER_KERNELS = new OptimizerKernels() {
        @Override
        public void sgd(Tensor p, Tensor g, Tensor buf, Tensor mask, double lr, double momentum, double dampening, boolean nesterov,
                        double weightDecay, boolean first) {
            CudaOptimizerSteps.sgd(p, g, buf, mask, lr, momentum, dampening, nesterov, weightDecay, first);
        }

        @Override
        public void adam(Tensor p, Tensor g, Tensor m, Tensor v, Tensor mask, long step, double lr, double beta1, double beta2, double eps,
                         double weightDecay, boolean decoupled) {
            CudaOptimizerSteps.adam(p, g, m, v, mask, step, lr, beta1, beta2, eps, weightDecay, decoupled);
        }
    };

    /** {@code -Dlethe.cuda.fusedOptimizer=false} sends optimiser steps through the host instead (to measure the difference). */
    private static final boolean FUSED_OPTIMIZER = !"false".equals(System.getProperty("lethe.cuda.fusedOptimizer"));

    @Override
    public OptimizerKernels optimizerKernels() {
        return FUSED_OPTIMIZER ? OPTIMIZER_KERNELS : null;
    }

    /** {@link CudaSoftmax}' fused softmax cross-entropy, which tensor-core's crossEntropy then uses. */
    private static final CrossEntropyKernels CROSS_ENTROPY_KERNELS = new CrossEntropyKernels() {
        @Override
        public Tensor[] forward(Tensor logits, int[] targets, double labelSmoothing, boolean keepProbs) {
            CudaSoftmax.CrossEntropyForward f = CudaSoftmax.crossEntropy(logits, targets, labelSmoothing, keepProbs);
            return new Tensor[] {f.losses(), f.probs()};
        }

        @Override
        public Tensor backward(Tensor probs, int[] targets, double labelSmoothing, Tensor g, float scale) {
            return CudaSoftmax.crossEntropyBackward(probs, targets, labelSmoothing, g, scale);
        }
    };

    @Override
    public CrossEntropyKernels crossEntropyKernels() {
        return CROSS_ENTROPY_KERNELS;
    }

    /** {@link CudaSoftmax#softmax}, which tensor-core's softmax and logSoftmax use along a last dimension. */
    @Override
    public SoftmaxKernels softmaxKernels() {
        return CudaSoftmax::softmax;
    }

    /** {@link CudaPooling}'s kernel pair, which tensor-core's maxPool2d then uses. */
    private static final PoolingKernels POOLING_KERNELS = new PoolingKernels() {
        @Override
        public MaxPool maxPool2d(Tensor x, int k, int stride) {
            return CudaPooling.maxPool2d(x, k, stride);
        }

        @Override
        public Tensor maxPool2dBackward(MaxPool forward, Tensor g) {
            return CudaPooling.maxPool2dBackward((CudaPooling.MaxPoolForward) forward, g);
        }
    };

    @Override
    public PoolingKernels poolingKernels() {
        return POOLING_KERNELS;
    }

    /** {@link CudaSurgery}'s float64 dots, direction and Fisher kernels, which tensor-core's GradientSurgery and FisherDiagonal then use. */
    private static final SurgeryKernels SURGERY_KERNELS = new SurgeryKernels() {
        @Override
        public double[] dots(List<Tensor> u, List<Tensor> r) {
            return CudaSurgery.dots3(u, r);
        }

        @Override
        public void combine(Tensor u, Tensor r, float a, float b, Tensor out) {
            CudaSurgery.combine(u, r, a, b, out);
        }

        @Override
        public boolean accumulate(List<Tensor> sums, List<Tensor> g, boolean squared) {
            return CudaSurgery.fisherAccumulate(sums, g, squared);
        }
    };

    @Override
    public SurgeryKernels surgeryKernels() {
        return SURGERY_KERNELS;
    }

    // ---------------------------------------------------------------- elementwise

    @Override
    public Tensor unary(UnaryOp op, Tensor x, double p, double q) {
        Tensor out = empty(x.shape());
        unaryKernel(op, x, p, q, out);
        return out;
    }

    /** Writes straight into {@code out} when it is contiguous on this GPU from a 16-byte boundary (float4 stores). */
    @Override
    public void unaryInto(UnaryOp op, Tensor x, double p, double q, Tensor out) {
        if (writable(out)) unaryKernel(op, x, p, q, out);
        else Backend.super.unaryInto(op, x, p, q, out);
    }

    /** y = op(x) into out, contiguous on this GPU from a 16-byte boundary; out may be x itself. */
    private void unaryKernel(UnaryOp op, Tensor x, double p, double q, Tensor out) {
        Tensor in = aligned(onDevice(x));
        int n = out.numel();
        if (n > 0) Launch.of(context, Kernel.UNARY).over((n + 3) / 4).ptr(ptr(in)).ptr(ptr(out)).i(n).i(OpCodes.of(op)).f((float) p).f((float) q).run();
    }

    /** Whether the float4 kernels can write into out directly: contiguous on this GPU, from a 16-byte boundary. */
    private boolean writable(Tensor out) {
        return out.storage().deviceMemory() instanceof CudaMemory m && m.backend() == this && out.isContiguous() && out.offset() % 4 == 0;
    }

    @Override
    public Tensor binary(BinaryOp op, Tensor a, Tensor b) {
        Tensor out = empty(Shapes.broadcast(op.name().toLowerCase(), a.shape(), b.shape()));
        binaryKernel(op, a, b, out);
        return out;
    }

    /** Writes straight into {@code out} when it is contiguous on this GPU from a 16-byte boundary. */
    @Override
    public void binaryInto(BinaryOp op, Tensor a, Tensor b, Tensor out) {
        if (writable(out)) binaryKernel(op, a, b, out);
        else Backend.super.binaryInto(op, a, b, out);
    }

    /** z = op(a, b) broadcast into out, contiguous on this GPU from a 16-byte boundary; out may be a or b itself. */
    private void binaryKernel(BinaryOp op, Tensor a, Tensor b, Tensor out) {
        Tensor da = onDevice(a), db = onDevice(b);
        int[] shape = out.shape();
        int n = out.numel();
        if (n == 0) return;
        if (Arrays.equals(a.shape(), b.shape()) && da.isContiguous() && db.isContiguous() && da.offset() % 4 == 0 && db.offset() % 4 == 0) {
            Launch.of(context, Kernel.BINARY).over((n + 3) / 4).ptr(ptr(da)).ptr(ptr(db)).ptr(ptr(out)).i(n).i(OpCodes.of(op)).run();
        } else {
            Layout l = Layout.of(shape, out.strides(), Shapes.broadcastStrides(a.shape(), da.strides(), shape),
                    Shapes.broadcastStrides(b.shape(), db.strides(), shape));
            Launch.of(context, Kernel.BINARY_STRIDED).over(n).ptr(ptr(da)).ptr(ptr(db)).ptr(ptr(out)).i(n).i(OpCodes.of(op)).layout(l).run();
        }
    }

    @Override
    public Tensor where(Tensor cond, Tensor a, Tensor b) {
        Tensor dc = onDevice(cond), da = onDevice(a), db = onDevice(b);
        int[] shape = Shapes.broadcast("where", Shapes.broadcast("where", cond.shape(), a.shape()), b.shape());
        Tensor out = empty(shape);
        int n = out.numel();
        if (n == 0) return out;
        Layout l = Layout.of(shape, Shapes.broadcastStrides(cond.shape(), dc.strides(), shape),
                Shapes.broadcastStrides(a.shape(), da.strides(), shape), Shapes.broadcastStrides(b.shape(), db.strides(), shape));
        Launch.of(context, Kernel.WHERE_STRIDED).over(n).ptr(ptr(dc)).ptr(ptr(da)).ptr(ptr(db)).ptr(ptr(out)).i(n).layout(l).run();
        return out;
    }

    /**
     * Writes src (broadcast) into the view dst. dst on this GPU: one strided-copy kernel. dst on
     * the host: src is made contiguous here, copied back, and written by the CPU backend.
     */
    @Override
    public void copyInto(Tensor dst, Tensor src) {
        int[] shape = dst.shape();
        if (dst.storage().deviceMemory() == null) {
            Tensor staged = empty(shape);
            copyInto(staged, src);
            float[] host = new float[staged.numel()];
            memory(staged).read(0, host, 0, host.length);
            Backends.of(dst).copyInto(dst, Tensor.wrap(Storage.wrap(host), shape));
            return;
        }
        Tensor d = onDevice(dst), s = onDevice(src);
        int n = d.numel();
        if (n == 0) return;
        Layout l = Layout.of(shape, d.strides(), Shapes.broadcastStrides(src.shape(), s.strides(), shape));
        if (l.rank() == 1 && l.strides(0)[0] == 1 && l.strides(1)[0] == 1) {
            context.copy(memory(s).pointer(), s.offset(), memory(d).pointer(), d.offset(), n); // plain memcpy
        } else {
            Launch.of(context, Kernel.COPY_STRIDED).over(n).ptr(ptr(s)).ptr(ptr(d)).i(n).layout(l).run();
        }
    }

    /** A fresh contiguous copy (float32 only: float64 tensors live on the CPU). */
    @Override
    public Tensor cast(Tensor x, DType dtype) {
        if (dtype != DType.FLOAT32) {
            throw new IllegalArgumentException("to(" + dtype + "): only float32 tensors live on " + device + "; move the tensor to the CPU first");
        }
        return copyOf(onDevice(x));
    }

    // ---------------------------------------------------------------- reductions

    @Override
    public Tensor reduce(ReduceOp op, Tensor x, int[] dims, boolean keepDim) {
        Tensor dx = onDevice(x);
        int[] shape = x.shape();
        int[] outShape = Shapes.reduced(shape, dims, keepDim);
        if (dims.length == 0) return copyOf(dx).reshape(outShape);
        Tensor out = empty(outShape);
        if (x.numel() == 0) {
            context.fill(memory(out).pointer(), 0, out.numel(), (float) op.identity());
            return out;
        }
        int[] ori = ReduceShape.of(shape, dims);
        Tensor src;
        if (ReduceShape.adjacent(dims) && dx.isContiguous()) {
            src = dx;
        } else {
            // Move the reduced dims last and copy: [kept…, reduced…] contiguous, inner = 1.
            int[] order = ReduceShape.reducedLast(shape.length, dims);
            src = copyOf(Tensor.wrap(dx.storage(), permuted(shape, order), permuted(dx.strides(), order), dx.offset()));
            ori = new int[] {ori[0] * ori[2], ori[1], 1};
        }
        reduce(op, ptr(src), ori[0], ori[1], ori[2], memory(out).pointer());
        return out;
    }

    /** out[o, i] = op_j x[o, j, i] for a contiguous [outer, r, inner] at x. */
    private void reduce(ReduceOp op, CUdeviceptr x, int outer, int r, int inner, CUdeviceptr out) {
        int code = OpCodes.of(op);
        if (inner > 1) {
            Launch.of(context, Kernel.REDUCE_COLS).over((long) outer * inner).ptr(x).ptr(out).i(outer).i(r).i(inner).i(code).run();
        } else if (outer < FEW_ROWS && r > 2 * SPLIT) {
            // Few long rows: each row in chunks of SPLIT (one block each), then the partials; a
            // fixed split, so the order of the sum depends on the shape alone.
            int chunks = (r + SPLIT - 1) / SPLIT, full = r / SPLIT, rest = r - full * SPLIT;
            Tensor partials = empty(outer, chunks);
            CUdeviceptr pp = memory(partials).pointer();
            for (int o = 0; o < outer; o++) {
                CUdeviceptr row = x.withByteOffset((long) o * r * Float.BYTES);
                CUdeviceptr part = pp.withByteOffset((long) o * chunks * Float.BYTES);
                reduceRows(code, row, full, SPLIT, part);
                if (rest > 0) reduceRows(code, row.withByteOffset((long) full * SPLIT * Float.BYTES), 1, rest, part.withByteOffset((long) full * Float.BYTES));
            }
            reduceRows(code, pp, outer, chunks, out);
        } else {
            reduceRows(code, x, outer, r, out);
        }
    }

    /** out[row] = op_j x[row·r + j], one block of 256 threads per row. */
    private void reduceRows(int code, CUdeviceptr x, int rows, int r, CUdeviceptr out) {
        Launch.of(context, Kernel.REDUCE_ROWS).grid(Math.min(rows, 65_535), 1, 1).ptr(x).ptr(out).i(rows).i(r).i(code).run();
    }

    @Override
    public Tensor argReduce(boolean max, Tensor x, int dim, boolean keepDim) {
        Tensor dx = contiguous(onDevice(x));
        int[] shape = x.shape();
        int[] kept = shape.clone();
        kept[dim] = 1;
        Tensor out = empty(keepDim ? kept : Shapes.reduced(shape, new int[] {dim}, false));
        int[] ori = ReduceShape.of(shape, new int[] {dim});
        if (out.numel() > 0) {
            Launch l = Launch.of(context, Kernel.ARG_REDUCE);
            if (ori[2] == 1) l.grid(Math.min(ori[0], 65_535), 1, 1);
            else l.over((long) ori[0] * ori[2]);
            l.ptr(ptr(dx)).ptr(memory(out).pointer()).i(ori[0]).i(ori[1]).i(ori[2]).i(max ? 1 : 0).run();
        }
        return out;
    }

    private static int[] permuted(int[] a, int[] order) {
        int[] out = new int[order.length];
        for (int i = 0; i < order.length; i++) out[i] = a[order[i]];
        return out;
    }

    // ---------------------------------------------------------------- matrix products

    @Override
    public Tensor matmul(Tensor a, Tensor b) {
        return BatchedGemm.run(this, onDevice(a), onDevice(b));
    }

    // ---------------------------------------------------------------- indexing

    @Override
    public Tensor indexSelect(Tensor x, int dim, int[] index) {
        Tensor dx = contiguous(onDevice(x));
        int[] shape = x.shape(), ori = ReduceShape.of(shape, new int[] {dim});
        shape[dim] = index.length;
        Tensor out = empty(shape);
        if (out.numel() == 0) return out;
        try (DeviceBuffer<CUdeviceptr> idx = context.uploadInts(index)) {
            Launch.of(context, Kernel.INDEX_SELECT).over(out.numel()).ptr(ptr(dx)).ptr(memory(out).pointer())
                    .i(ori[0]).i(ori[1]).i(ori[2]).ptr(idx.handle()).i(index.length).run();
        }
        return out;
    }

    @Override
    public Tensor indexAdd(int[] shape, int dim, int[] index, Tensor src) {
        Tensor ds = contiguous(onDevice(src));
        Tensor out = zeros(shape);
        int[] ori = ReduceShape.of(shape, new int[] {dim});
        if (ds.numel() == 0) return out;
        try (DeviceBuffer<CUdeviceptr> idx = context.uploadInts(index)) {
            Launch.of(context, Kernel.INDEX_ADD).over(ds.numel()).ptr(ptr(ds)).ptr(memory(out).pointer())
                    .i(ori[0]).i(ori[1]).i(ori[2]).ptr(idx.handle()).i(index.length).run();
        }
        return out;
    }

    @Override
    public Tensor gather(Tensor x, int dim, Tensor index) {
        Tensor dx = onDevice(x), di = onDevice(index);
        int[] shape = index.shape();
        Tensor out = empty(shape);
        int n = out.numel();
        if (n == 0) return out;
        Layout l = Layout.unmerged(shape, dx.strides(), di.strides(), new int[shape.length]);
        Launch.of(context, Kernel.GATHER).over(n).ptr(ptr(dx)).ptr(ptr(di)).ptr(memory(out).pointer()).i(n).i(dim).layout(l).run();
        return out;
    }

    @Override
    public Tensor scatterAdd(int[] shape, int dim, Tensor index, Tensor src) {
        Tensor di = onDevice(index), ds = onDevice(src);
        Tensor out = zeros(shape);
        int n = index.numel();
        if (n == 0) return out;
        Layout l = Layout.unmerged(index.shape(), out.strides(), di.strides(), ds.strides());
        Launch.of(context, Kernel.SCATTER_ADD).over(n).ptr(ptr(ds)).ptr(ptr(di)).ptr(memory(out).pointer()).i(n).i(dim).layout(l).run();
        return out;
    }

    // ---------------------------------------------------------------- convolution

    @Override
    public Tensor unfold(Tensor x, int kh, int kw, int sh, int sw, int ph, int pw) {
        Tensor dx = contiguous(onDevice(x));
        int[] s = x.shape();
        int oh = Shapes.windows(s[2], kh, sh, ph), ow = Shapes.windows(s[3], kw, sw, pw);
        Tensor out = empty(s[0], s[1] * kh * kw, oh * ow);
        if (out.numel() > 0) {
            Launch.of(context, Kernel.IM2COL).over(out.numel()).ptr(ptr(dx)).ptr(memory(out).pointer())
                    .i(s[0] * s[1]).i(s[2]).i(s[3]).i(kh).i(kw).i(sh).i(sw).i(ph).i(pw).i(oh).i(ow).run();
        }
        return out;
    }

    @Override
    public Tensor fold(Tensor cols, int[] shape, int kh, int kw, int sh, int sw, int ph, int pw) {
        Tensor dc = contiguous(onDevice(cols));
        int oh = Shapes.windows(shape[2], kh, sh, ph), ow = Shapes.windows(shape[3], kw, sw, pw);
        Tensor out = empty(shape);
        if (out.numel() > 0) {
            Launch.of(context, Kernel.COL2IM).over(out.numel()).ptr(ptr(dc)).ptr(memory(out).pointer())
                    .i(shape[0] * shape[1]).i(shape[2]).i(shape[3]).i(kh).i(kw).i(sh).i(sw).i(ph).i(pw).i(oh).i(ow).run();
        }
        return out;
    }
}
