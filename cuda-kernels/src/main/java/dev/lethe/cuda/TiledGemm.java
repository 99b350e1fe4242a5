package dev.lethe.cuda;

import jcuda.driver.CUdeviceptr;

/** {@code sgemm_tiled_f32}: 128×128 tiles of C per block of 256 threads, up to 65,535 batches per launch. */
final class TiledGemm implements Gemm {
    private static final int TILE = 128, MAX_Z = 65_535;

    private final CudaContext context;
    private final String why;

    TiledGemm(CudaContext context, String why) {
        this.context = context;
        this.why = why;
    }

    @Override
    public String describe() {
        return "own tiled SGEMM" + (why.isEmpty() ? "" : " (" + why + ")");
    }

    @Override
    public void sgemm(boolean transA, boolean transB, int m, int n, int k, CUdeviceptr a, int lda, long strideA, CUdeviceptr b, int ldb,
                      long strideB, CUdeviceptr c, int ldc, long strideC, int batches) {
        for (int b0 = 0; b0 < batches; b0 += MAX_Z) {
            int z = Math.min(MAX_Z, batches - b0);
            Launch.of(context, Kernel.SGEMM_TILED).grid((n + TILE - 1) / TILE, (m + TILE - 1) / TILE, z).block(256)
                    .i(transA ? 1 : 0).i(transB ? 1 : 0).i(m).i(n).i(k).f(1f)
                    .ptr(a.withByteOffset(b0 * strideA * Float.BYTES)).i(lda).l(strideA)
                    .ptr(b.withByteOffset(b0 * strideB * Float.BYTES)).i(ldb).l(strideB)
                    .f(0f).ptr(c.withByteOffset(b0 * strideC * Float.BYTES)).i(ldc).l(strideC)
                    .run();
        }
    }
}
