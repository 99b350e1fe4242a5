// Lethe's own SGEMM, for hosts where JCublas cannot bind cuBLAS (JCuda 12.x against a CUDA 13
// cuBLAS). Row-major, batched over blockIdx.z:
//   C_b = α·op(A_b)·op(B_b) + β·C_b,   op(A) [M, K], op(B) [K, N], C [M, N],
// with A_b = A + b·strideA (likewise B, C). op(A)(m, k) is A[m·lda + k], or A[k·lda + m] when
// transA (A stored [K, M]); op(B)(k, n) is B[k·ldb + n], or B[n·ldb + k] when transB.
//
// Tiling: a block of 256 threads computes a 128×128 tile of C, stepping through K 8 at a time;
// each step loads a 128×8 tile of op(A) and an 8×128 tile of op(B) into shared memory (zeros
// beyond the matrix edges, so any M, N, K work) and each thread accumulates an 8×8 register
// block — rows ty + 16i and columns tx + 16j, strided so that a warp's shared-memory reads hit
// distinct banks and its stores of C are coalesced. Per step a thread does 64 FMAs for 16
// shared loads.
#define BM 128
#define BN 128
#define BK 8
#define PAD 4

extern "C" __global__ void __launch_bounds__(256) sgemm_tiled_f32(int transA, int transB, int M, int N, int K, float alpha,
        const float* __restrict__ A, int lda, long long strideA,
        const float* __restrict__ B, int ldb, long long strideB,
        float beta, float* __restrict__ C, int ldc, long long strideC) {
    __shared__ float As[BK][BM + PAD];
    __shared__ float Bs[BK][BN + PAD];
    A += blockIdx.z * strideA;
    B += blockIdx.z * strideB;
    C += blockIdx.z * strideC;
    const int tid = threadIdx.x, tx = tid & 15, ty = tid >> 4;
    const int row0 = blockIdx.y * BM, col0 = blockIdx.x * BN;

    float acc[8][8];
#pragma unroll
    for (int i = 0; i < 8; i++)
#pragma unroll
        for (int j = 0; j < 8; j++) acc[i][j] = 0.0f;

    for (int k0 = 0; k0 < K; k0 += BK) {
#pragma unroll
        for (int l = tid; l < BM * BK; l += 256) {
            int mm, kk;
            if (transA) { kk = l / BM; mm = l % BM; } // A is [K, M]: a warp reads 32 consecutive m
            else        { mm = l / BK; kk = l % BK; } // A is [M, K]: 8 consecutive k per row
            int gm = row0 + mm, gk = k0 + kk;
            float v = 0.0f;
            if (gm < M && gk < K) v = transA ? A[(long long) gk * lda + gm] : A[(long long) gm * lda + gk];
            As[kk][mm] = v;
        }
#pragma unroll
        for (int l = tid; l < BK * BN; l += 256) {
            int nn, kk;
            if (transB) { nn = l / BK; kk = l % BK; } // B is [N, K]
            else        { kk = l / BN; nn = l % BN; } // B is [K, N]: a warp reads 32 consecutive n
            int gn = col0 + nn, gk = k0 + kk;
            float v = 0.0f;
            if (gn < N && gk < K) v = transB ? B[(long long) gn * ldb + gk] : B[(long long) gk * ldb + gn];
            Bs[kk][nn] = v;
        }
        __syncthreads();
#pragma unroll
        for (int kk = 0; kk < BK; kk++) {
            float a[8], b[8];
#pragma unroll
            for (int i = 0; i < 8; i++) a[i] = As[kk][ty + 16 * i];
#pragma unroll
            for (int j = 0; j < 8; j++) b[j] = Bs[kk][tx + 16 * j];
#pragma unroll
            for (int i = 0; i < 8; i++)
#pragma unroll
                for (int j = 0; j < 8; j++) acc[i][j] = fmaf(a[i], b[j], acc[i][j]);
        }
        __syncthreads();
    }

#pragma unroll
    for (int i = 0; i < 8; i++) {
        int m = row0 + ty + 16 * i;
        if (m >= M) continue;
#pragma unroll
        for (int j = 0; j < 8; j++) {
            int n = col0 + tx + 16 * j;
            if (n >= N) continue;
            float* c = C + (long long) m * ldc + n;
            *c = beta == 0.0f ? alpha * acc[i][j] : alpha * acc[i][j] + beta * *c; // β = 0 never reads C (it may hold NaN)
        }
    }
}
