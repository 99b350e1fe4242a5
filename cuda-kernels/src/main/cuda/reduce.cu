// Reductions over the middle axis of a contiguous [outer, r, inner] array, and the first
// arg-max/arg-min. Sums are added in a fixed order for a given launch shape (no atomics), so
// a result is the same from run to run on one GPU.
#include "lethe.cuh"

// inner = 1: out[row] = op_{j<r} x[row·r + j]. One block per row (grid-stride over rows);
// each thread folds a strided slice of the row, then the block combines the partials with
// warp shuffles.
extern "C" __global__ void reduce_rows_f32(const float* __restrict__ x, float* __restrict__ out, int rows, int r, int op) {
    __shared__ float scratch[32];
    for (int row = blockIdx.x; row < rows; row += gridDim.x) {
        const float* xr = x + (long long) row * r;
        float acc = reduce_identity(op);
        for (int j = threadIdx.x; j < r; j += blockDim.x) acc = reduce_combine(op, acc, xr[j]);
        acc = block_reduce(op, acc, scratch);
        if (threadIdx.x == 0) out[row] = acc;
    }
}

// inner > 1: out[o·inner + i] = op_{j<r} x[(o·r + j)·inner + i]. One thread per output;
// neighbouring threads read neighbouring addresses (coalesced along inner).
extern "C" __global__ void reduce_cols_f32(const float* __restrict__ x, float* __restrict__ out, int outer, int r, int inner, int op) {
    long long total = (long long) outer * inner;
    for (long long t = blockIdx.x * (long long) blockDim.x + threadIdx.x; t < total; t += (long long) gridDim.x * blockDim.x) {
        long long o = t / inner, i = t % inner;
        const float* xc = x + o * r * inner + i;
        float acc = reduce_identity(op);
        for (int j = 0; j < r; j++) acc = reduce_combine(op, acc, xc[(long long) j * inner]);
        out[t] = acc;
    }
}

// Is (v, i) a better arg-max (arg-min) candidate than (bv, bi)? The larger (smaller) value
// wins; NaN beats any number (as the reference backend); ties go to the lower index.
__device__ __forceinline__ bool arg_better(bool isMax, float v, int i, float bv, int bi) {
    if (bi < 0) return true;
    bool vn = v != v, bn = bv != bv;
    if (vn || bn) return vn && (!bn || i < bi);
    if (v == bv) return i < bi;
    return isMax ? v > bv : v < bv;
}

// out[o·inner + i] = the first j < r where x[(o·r + j)·inner + i] is largest (smallest), as a
// float. inner = 1 takes one block per row with a shuffle reduction of (value, index) pairs;
// otherwise one thread per output walks j.
extern "C" __global__ void argreduce_f32(const float* __restrict__ x, float* __restrict__ out, int outer, int r, int inner, int isMax) {
    if (inner == 1) {
        __shared__ float sv[32];
        __shared__ int si[32];
        for (int row = blockIdx.x; row < outer; row += gridDim.x) {
            const float* xr = x + (long long) row * r;
            float bv = 0.0f;
            int bi = -1;
            for (int j = threadIdx.x; j < r; j += blockDim.x) {
                float v = xr[j];
                if (arg_better(isMax, v, j, bv, bi)) { bv = v; bi = j; }
            }
            for (int o = 16; o > 0; o >>= 1) {
                float ov = __shfl_xor_sync(0xffffffffu, bv, o);
                int oi = __shfl_xor_sync(0xffffffffu, bi, o);
                if (oi >= 0 && arg_better(isMax, ov, oi, bv, bi)) { bv = ov; bi = oi; }
            }
            int lane = threadIdx.x & 31, warp = threadIdx.x >> 5;
            __syncthreads();
            if (lane == 0) { sv[warp] = bv; si[warp] = bi; }
            __syncthreads();
            if (threadIdx.x == 0) {
                for (int w = 1; w < (int) (blockDim.x >> 5); w++) {
                    if (si[w] >= 0 && arg_better(isMax, sv[w], si[w], bv, bi)) { bv = sv[w]; bi = si[w]; }
                }
                out[row] = (float) (bi < 0 ? 0 : bi);
            }
        }
        return;
    }
    long long total = (long long) outer * inner;
    for (long long t = blockIdx.x * (long long) blockDim.x + threadIdx.x; t < total; t += (long long) gridDim.x * blockDim.x) {
        long long o = t / inner, i = t % inner;
        const float* xc = x + o * r * inner + i;
        float bv = 0.0f;
        int bi = -1;
        for (int j = 0; j < r; j++) {
            float v = xc[(long long) j * inner];
            if (arg_better(isMax, v, j, bv, bi)) { bv = v; bi = j; }
        }
        out[t] = (float) (bi < 0 ? 0 : bi);
    }
}

// Partial dot products for a deterministic Σ a[i]·b[i]: block k writes the sum over its
// fixed slice [k·chunk, (k+1)·chunk) to partials[k]; reduce_rows_f32 then sums the partials.
// With a == b it gives Σ a², the squared norm.
extern "C" __global__ void dot_partials_f32(const float* __restrict__ a, const float* __restrict__ b, float* __restrict__ partials, int n, int chunk) {
    __shared__ float scratch[32];
    long long start = (long long) blockIdx.x * chunk;
    long long end = min((long long) n, start + chunk);
    float acc = 0.0f;
    for (long long i = start + threadIdx.x; i < end; i += blockDim.x) acc = fmaf(a[i], b[i], acc);
    acc = block_reduce(R_SUM, acc, scratch);
    if (threadIdx.x == 0) partials[blockIdx.x] = acc;
}
