// Index kernels over a contiguous x seen as [outer, size, inner] around the indexed dim.
// The accumulating ones (index_add, scatter_add) use atomicAdd: where several sources land on
// one target the float sum order varies from run to run (the only kernels here that are not
// bitwise repeatable); where every target receives at most one source they are exact.
#include "lethe.cuh"

// out[o, i, t] = x[o, index[i], t] for i < len.
extern "C" __global__ void index_select_f32(const float* __restrict__ x, float* __restrict__ out, int outer, int size, int inner,
                                            const int* __restrict__ index, int len) {
    long long total = (long long) outer * len * inner;
    for (long long e = blockIdx.x * (long long) blockDim.x + threadIdx.x; e < total; e += (long long) gridDim.x * blockDim.x) {
        long long t = e % inner, r = e / inner;
        int i = (int) (r % len);
        long long o = r / len;
        out[e] = x[(o * size + index[i]) * inner + t];
    }
}

// out[o, index[i], t] += src[o, i, t] for i < len; out zeroed before.
extern "C" __global__ void index_add_f32(const float* __restrict__ src, float* __restrict__ out, int outer, int size, int inner,
                                         const int* __restrict__ index, int len) {
    long long total = (long long) outer * len * inner;
    for (long long e = blockIdx.x * (long long) blockDim.x + threadIdx.x; e < total; e += (long long) gridDim.x * blockDim.x) {
        long long t = e % inner, r = e / inner;
        int i = (int) (r % len);
        long long o = r / len;
        atomicAdd(&out[(o * size + index[i]) * inner + t], src[e]);
    }
}

// Along dim d of rank-R tensors, with index, src and out element e at coordinates c:
//   gather:      out[e] = x[c with c_d ← index[e]]
//   scatter_add: out[c with c_d ← index[e]] += src[e]
// L.shape is index's shape; L.stride[0] x's (gather) or out's (scatter) strides, L.stride[1]
// index's, L.stride[2] src's strides.
__device__ __forceinline__ void gather_offsets(const Layout& L, int dim, const float* index, long long e, long long* target, long long* other) {
    long long off[3];
    layout_offsets(L, e, 3, off);
    int c = (int) index[off[1]];
    // replace coordinate dim: subtract its current contribution, add the indexed one
    long long rest = e;
    int cd = 0;
    for (int d = L.rank - 1; d >= 0; d--) {
        int coord = (int) (rest % L.shape[d]);
        rest /= L.shape[d];
        if (d == dim) cd = coord;
    }
    *target = off[0] + (long long) (c - cd) * L.stride[0][dim];
    *other = off[2];
}

extern "C" __global__ void gather_f32(const float* __restrict__ x, const float* __restrict__ index, float* __restrict__ out, int n, int dim, Layout L) {
    for (long long e = blockIdx.x * (long long) blockDim.x + threadIdx.x; e < n; e += (long long) gridDim.x * blockDim.x) {
        long long target, other;
        gather_offsets(L, dim, index, e, &target, &other);
        out[e] = x[target];
    }
}

extern "C" __global__ void scatter_add_f32(const float* __restrict__ src, const float* __restrict__ index, float* __restrict__ out, int n, int dim, Layout L) {
    for (long long e = blockIdx.x * (long long) blockDim.x + threadIdx.x; e < n; e += (long long) gridDim.x * blockDim.x) {
        long long target, other;
        gather_offsets(L, dim, index, e, &target, &other);
        atomicAdd(&out[target], src[other]);
    }
}
