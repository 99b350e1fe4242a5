package dev.lethe.backend;

import dev.lethe.tensor.DType;
import dev.lethe.tensor.Tensor;

/**
 * The kernels a device implements. Every method allocates a fresh, contiguous output (except
 * {@link #copyInto} and the {@code Into} methods, which write into a given view); inputs may
 * be any strided view. Shapes and dtypes have been checked by
 * the op that calls; a backend only computes. Gradients are not a backend's concern.
 */
public interface Backend {
    /** Name for messages and reports, such as {@code "cpu (512-bit SIMD)"}. */
    String name();

    /** y = op(x; p, q) elementwise. */
    Tensor unary(UnaryOp op, Tensor x, double p, double q);

    /** z = op(a, b) elementwise with NumPy broadcasting; a and b share a dtype. */
    Tensor binary(BinaryOp op, Tensor a, Tensor b);

    /**
     * y = op(x; p, q) written into {@code out}, a view of x's shape and dtype that may alias x
     * exactly (checked by the caller). This default computes a fresh result and copies it;
     * a backend overrides it to write in place.
     */
    default void unaryInto(UnaryOp op, Tensor x, double p, double q, Tensor out) {
        copyInto(out, unary(op, x, p, q));
    }

    /**
     * z = op(a, b) written into {@code out}, a view of the broadcast shape and a's dtype that
     * may alias a or b exactly (checked by the caller); the default as {@link #unaryInto}.
     */
    default void binaryInto(BinaryOp op, Tensor a, Tensor b, Tensor out) {
        copyInto(out, binary(op, a, b));
    }

    /**
     * The fused optimiser steps of this device, or null (the default: an optimiser then
     * updates a parameter here through a host copy).
     */
    default OptimizerKernels optimizerKernels() {
        return null;
    }

    /**
     * This device's fused softmax cross-entropy, or null (the default: cross-entropy then
     * runs as log-softmax, gather and mean on this device's kernels).
     */
    default CrossEntropyKernels crossEntropyKernels() {
        return null;
    }

    /**
     * This device's fused max pooling, or null (the default: max pooling then runs as unfold
     * and max on this device's kernels).
     */
    default PoolingKernels poolingKernels() {
        return null;
    }

    /**
     * This device's row-wise softmax, or null (the default: softmax and log-softmax then run as
     * their composition on this device's kernels).
     */
    default SoftmaxKernels softmaxKernels() {
        return null;
    }

    /**
     * This device's gradient-surgery and Fisher passes, or null (the default: {@code
     * dev.lethe.surgery} then runs them on host copies of the device tensors and writes the
     * results back).
     */
    default SurgeryKernels surgeryKernels() {
        return null;
    }

    /** out = cond ≠ 0 ? a : b, all three broadcast together; the dtype is a's. */
    Tensor where(Tensor cond, Tensor a, Tensor b);

    /** Reduces {@code dims} (resolved, sorted, distinct; empty means none). */
    Tensor reduce(ReduceOp op, Tensor x, int[] dims, boolean keepDim);

    /** Index of the first maximum (or minimum) along {@code dim}, as integer values in x's dtype. */
    Tensor argReduce(boolean max, Tensor x, int dim, boolean keepDim);

    /** [..., m, k] · [..., k, n] → [..., m, n], batch dims broadcast; both at least 2-D. */
    Tensor matmul(Tensor a, Tensor b);

    /** Writes {@code src}, broadcast to dst's shape, into the view {@code dst} (converting dtype). */
    void copyInto(Tensor dst, Tensor src);

    /** A contiguous copy of x in {@code dtype}. */
    Tensor cast(Tensor x, DType dtype);

    /** out[..., i, ...] = x[..., index[i], ...] along {@code dim}. */
    Tensor indexSelect(Tensor x, int dim, int[] index);

    /** Zeros of {@code shape} with out[..., index[i], ...] += src[..., i, ...] along dim. */
    Tensor indexAdd(int[] shape, int dim, int[] index, Tensor src);

    /** out[i][j][k] = x[i][index[i][j][k]][k] (for dim = 1); index has out's shape. */
    Tensor gather(Tensor x, int dim, Tensor index);

    /** Zeros of {@code shape} with out[i][index[i][j][k]][k] += src[i][j][k] (for dim = 1). */
    Tensor scatterAdd(int[] shape, int dim, Tensor index, Tensor src);

    /**
     * im2col: x [n, c, h, w] → [n, c·kh·kw, oh·ow], column (c, i, j) of output position (y, x)
     * = x[c, y·sh − ph + i, x·sw − pw + j] or 0 outside the image.
     */
    Tensor unfold(Tensor x, int kh, int kw, int sh, int sw, int ph, int pw);

    /** col2im, the adjoint of {@link #unfold}: sums columns back into an image of {@code shape}. */
    Tensor fold(Tensor cols, int[] shape, int kh, int kw, int sh, int sw, int ph, int pw);
}
