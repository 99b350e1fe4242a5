// Shared definitions of Lethe's CUDA kernels: the strided layout descriptor, the op codes
// (mirrored by dev.lethe.cuda.OpCodes), NaN-propagating min/max, and warp/block reductions.
//
// Every kernel is `extern "C"` so its PTX name is its C name (no C++ mangling), which is the
// name dev.lethe.cuda.PtxModule looks it up by.
#pragma once

// ---------------------------------------------------------------- strided layouts

#define LETHE_MAX_RANK 8

// Up to three operands over one iteration shape: element i of the shape (row-major) sits at
// offset Σ_d coord_d(i)·stride[k][d] in operand k. Broadcast dims have stride 0. Passed to a
// kernel by value (33 ints); the host merges dims first so the rank rarely reaches the limit.
struct Layout {
    int rank;
    int shape[LETHE_MAX_RANK];
    int stride[3][LETHE_MAX_RANK];
};

// The offsets of element i in operands 0..count-1. The coordinates come from 32-bit division
// whenever i fits (every caller today: element counts are ints), which costs a fraction of
// the 64-bit division the GPU emulates; the 64-bit loop stays for larger i.
__device__ __forceinline__ void layout_offsets(const Layout& L, long long i, int count, long long* off) {
    off[0] = 0; off[1] = 0; off[2] = 0;
    if (i <= 0x7fffffffLL) {
        int j = (int) i;
        for (int d = L.rank - 1; d >= 0; d--) {
            int size = L.shape[d];
            int c = j % size;
            j /= size;
            for (int k = 0; k < count; k++) off[k] += (long long) c * L.stride[k][d];
        }
        return;
    }
    for (int d = L.rank - 1; d >= 0; d--) {
        int size = L.shape[d];
        long long c = i % size;
        i /= size;
        for (int k = 0; k < count; k++) off[k] += c * L.stride[k][d];
    }
}

// ---------------------------------------------------------------- op codes

// Unary ops, y = f(x; p, q) (dev.lethe.backend.UnaryOp).
#define U_IDENTITY    0
#define U_NEG         1
#define U_SCALE_SHIFT 2
#define U_EXP         3
#define U_LOG         4
#define U_SQRT        5
#define U_ABS         6
#define U_RELU        7
#define U_SIGMOID     8
#define U_TANH        9
#define U_GELU       10
#define U_GELU_GRAD  11
#define U_STEP       12
#define U_SIGN       13
#define U_POW        14
#define U_CLAMP      15
#define U_IN_RANGE   16

// Binary ops, z = f(a, b) (dev.lethe.backend.BinaryOp); comparisons give 1 or 0.
#define B_ADD 0
#define B_SUB 1
#define B_MUL 2
#define B_DIV 3
#define B_MAX 4
#define B_MIN 5
#define B_GT  6
#define B_GE  7
#define B_LT  8
#define B_LE  9
#define B_EQ 10
#define B_NE 11

// Reductions (dev.lethe.backend.ReduceOp).
#define R_SUM 0
#define R_MAX 1
#define R_MIN 2

// ---------------------------------------------------------------- scalar math

// max/min that return NaN when either operand is NaN, as Java's Math.max/min do (fmaxf
// would return the other operand).
__device__ __forceinline__ float nan_max(float a, float b) { return (a != a || b != b) ? __int_as_float(0x7fc00000) : fmaxf(a, b); }
__device__ __forceinline__ float nan_min(float a, float b) { return (a != a || b != b) ? __int_as_float(0x7fc00000) : fminf(a, b); }

__device__ __forceinline__ float reduce_identity(int op) {
    return op == R_SUM ? 0.0f : (op == R_MAX ? -__int_as_float(0x7f800000) : __int_as_float(0x7f800000));
}

__device__ __forceinline__ float reduce_combine(int op, float acc, float x) {
    return op == R_SUM ? acc + x : (op == R_MAX ? nan_max(acc, x) : nan_min(acc, x));
}

// ---------------------------------------------------------------- warp and block reductions

// Butterfly reduction over the 32 lanes of a warp: after it every lane holds op(all lanes).
__device__ __forceinline__ float warp_reduce(int op, float v) {
    for (int o = 16; o > 0; o >>= 1) v = reduce_combine(op, v, __shfl_xor_sync(0xffffffffu, v, o));
    return v;
}

// Reduces one value per thread over the whole block (blockDim.x a multiple of 32, at most
// 1024) in a fixed order; every thread gets the result. `scratch` holds 32 floats of shared
// memory; the call synchronises the block, so it may be called again with the same scratch.
__device__ __forceinline__ float block_reduce(int op, float v, float* scratch) {
    int lane = threadIdx.x & 31, warp = threadIdx.x >> 5, warps = blockDim.x >> 5;
    v = warp_reduce(op, v);
    __syncthreads(); // scratch may still be read by a previous call
    if (lane == 0) scratch[warp] = v;
    __syncthreads();
    v = lane < warps ? scratch[lane] : reduce_identity(op);
    return warp_reduce(op, v);
}

// float64 sums, for dot products that must not lose the float32 products' bits: the same
// butterfly and fixed block order as block_reduce, with 0 as the identity. `scratch` holds 32
// doubles of shared memory.
__device__ __forceinline__ double warp_sum_f64(double v) {
    for (int o = 16; o > 0; o >>= 1) v += __shfl_xor_sync(0xffffffffu, v, o);
    return v;
}

__device__ __forceinline__ double block_sum_f64(double v, double* scratch) {
    int lane = threadIdx.x & 31, warp = threadIdx.x >> 5, warps = blockDim.x >> 5;
    v = warp_sum_f64(v);
    __syncthreads(); // scratch may still be read by a previous call
    if (lane == 0) scratch[warp] = v;
    __syncthreads();
    v = lane < warps ? scratch[lane] : 0.0;
    return warp_sum_f64(v);
}
