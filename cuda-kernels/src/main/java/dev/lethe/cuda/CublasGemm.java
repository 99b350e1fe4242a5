package dev.lethe.cuda;

import jcuda.Pointer;
import jcuda.driver.CUdeviceptr;
import jcuda.jcublas.JCublas2;
import jcuda.jcublas.cublasHandle;
import jcuda.jcublas.cublasOperation;
import jcuda.runtime.cudaStream_t;

/**
 * {@code cublasSgemmStridedBatched} through JCublas2, on the context's stream. cuBLAS is
 * column-major; a row-major X is the column-major Xᵀ, so row-major C = op(A)·op(B) is computed
 * as the column-major Cᵀ = op(B)ᵀ·op(A)ᵀ: the operands swap places and keep their transposes.
 */
final class CublasGemm implements Gemm {
    private static final Pointer ONE = Pointer.to(new float[] {1f}), ZERO = Pointer.to(new float[] {0f});

    private final CudaContext context;
    private final cublasHandle handle = new cublasHandle();

    /** @throws Throwable whatever loading JCublas2 throws (an UnsatisfiedLinkError without libcublas.so.12) */
    CublasGemm(CudaContext context) {
        this.context = context;
        context.makeCurrent();
        JCublas2.setExceptionsEnabled(false);
        CudaException.checkCublas(JCublas2.cublasCreate(handle), "cublasCreate");
        CudaException.checkCublas(JCublas2.cublasSetStream(handle, new cudaStream_t(context.stream())), "cublasSetStream");
    }

    @Override
    public String describe() {
        return "cuBLAS (JCublas 12.6.0)";
    }

    @Override
    public void sgemm(boolean transA, boolean transB, int m, int n, int k, CUdeviceptr a, int lda, long strideA, CUdeviceptr b, int ldb,
                      long strideB, CUdeviceptr c, int ldc, long strideC, int batches) {
        context.makeCurrent();
        int opB = transB ? cublasOperation.CUBLAS_OP_T : cublasOperation.CUBLAS_OP_N;
        int opA = transA ? cublasOperation.CUBLAS_OP_T : cublasOperation.CUBLAS_OP_N;
        CudaException.checkCublas(JCublas2.cublasSgemmStridedBatched(handle, opB, opA, n, m, k, ONE, b, ldb, strideB, a, lda, strideA, ZERO, c, ldc,
                strideC, batches), "cublasSgemmStridedBatched(" + m + "×" + k + " · " + k + "×" + n + ", " + batches + " batches)");
    }
}
