package dev.lethe.cuda;

import jcuda.driver.CUdeviceptr;

/**
 * Batched row-major SGEMM on the device, C_b = op(A_b)·op(B_b) for b < batches (see
 * {@code gemm.cu} for the operand conventions): cuBLAS where JCublas loads, else Lethe's own
 * tiled kernel.
 */
interface Gemm {
    /** What runs, for reports: "cuBLAS (JCublas 12.6.0)" or "own tiled SGEMM (…why…)". */
    String describe();

    void sgemm(boolean transA, boolean transB, int m, int n, int k,
               CUdeviceptr a, int lda, long strideA, CUdeviceptr b, int ldb, long strideB,
               CUdeviceptr c, int ldc, long strideC, int batches);
}
