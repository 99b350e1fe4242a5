// Elementwise kernels: unary ops and same-shape binary ops on contiguous float32 with 16-byte
// vector loads (float4), and the general strided forms (broadcast binary, where, copy) that
// walk a Layout. Grid-stride loops: any grid size covers any n. The output may be an input
// itself (an in-place op, exactly aliased; partial overlaps are refused on the host): each
// element is read once and then written by the same thread, so __restrict__'s non-coherent
// loads never see a value this kernel wrote.
#include "lethe.cuh"

#define GELU_C 0.7978845608028654f // √(2/π)

// y = f(x; p, q), the formulas of dev.lethe.backend.UnaryOp in float32.
__device__ __forceinline__ float unary_op(int op, float x, float p, float q) {
    switch (op) {
        case U_IDENTITY:    return x;
        case U_NEG:         return -x;
        case U_SCALE_SHIFT: return p * x + q;
        case U_EXP:         return expf(x);
        case U_LOG:         return logf(x);
        case U_SQRT:        return sqrtf(x);
        case U_ABS:         return fabsf(x);
        case U_RELU:        return x > 0.0f ? x : 0.0f;
        case U_SIGMOID:     return 1.0f / (1.0f + expf(-x));
        case U_TANH:        return tanhf(x);
        // GELU (tanh form) as x·σ(2u), u = √(2/π)(x + 0.044715x³): no cancellation for x < 0.
        case U_GELU:        return x / (1.0f + expf(-2.0f * GELU_C * (x + 0.044715f * x * x * x)));
        // dGELU/dx = s + 2x·s(1 − s)·u′ with s = σ(2u), u′ = √(2/π)(1 + 3·0.044715x²).
        case U_GELU_GRAD: {
            float s = 1.0f / (1.0f + expf(-2.0f * GELU_C * (x + 0.044715f * x * x * x)));
            return s + 2.0f * x * s * (1.0f - s) * GELU_C * (1.0f + 3.0f * 0.044715f * x * x);
        }
        case U_STEP:        return x > 0.0f ? 1.0f : 0.0f;
        case U_SIGN:        return x > 0.0f ? 1.0f : (x < 0.0f ? -1.0f : x); // keeps ±0 and NaN, as Math.signum
        case U_POW:         return powf(x, p);
        case U_CLAMP:       return nan_min(nan_max(x, p), q);
        case U_IN_RANGE:    return (x >= p && x <= q) ? 1.0f : 0.0f;
        default:            return __int_as_float(0x7fc00000);
    }
}

// z = f(a, b), the formulas of dev.lethe.backend.BinaryOp in float32.
__device__ __forceinline__ float binary_op(int op, float a, float b) {
    switch (op) {
        case B_ADD: return a + b;
        case B_SUB: return a - b;
        case B_MUL: return a * b;
        case B_DIV: return a / b;
        case B_MAX: return nan_max(a, b);
        case B_MIN: return nan_min(a, b);
        case B_GT:  return a > b ? 1.0f : 0.0f;
        case B_GE:  return a >= b ? 1.0f : 0.0f;
        case B_LT:  return a < b ? 1.0f : 0.0f;
        case B_LE:  return a <= b ? 1.0f : 0.0f;
        case B_EQ:  return a == b ? 1.0f : 0.0f;
        case B_NE:  return a != b ? 1.0f : 0.0f;
        default:    return __int_as_float(0x7fc00000);
    }
}

// y[i] = f(x[i]; p, q) for i < n. x and y 16-byte aligned: the body moves float4s; the last
// n mod 4 elements are done one by one by the first threads.
extern "C" __global__ void unary_f32(const float* __restrict__ x, float* __restrict__ y, int n, int op, float p, float q) {
    int n4 = n >> 2;
    const float4* x4 = reinterpret_cast<const float4*>(x);
    float4* y4 = reinterpret_cast<float4*>(y);
    int stride = gridDim.x * blockDim.x;
    int tid = blockIdx.x * blockDim.x + threadIdx.x;
    for (int i = tid; i < n4; i += stride) {
        float4 v = x4[i];
        v.x = unary_op(op, v.x, p, q);
        v.y = unary_op(op, v.y, p, q);
        v.z = unary_op(op, v.z, p, q);
        v.w = unary_op(op, v.w, p, q);
        y4[i] = v;
    }
    int t = (n4 << 2) + tid;
    if (t < n) y[t] = unary_op(op, x[t], p, q);
}

// z[i] = f(a[i], b[i]) for same-shape contiguous operands, 16-byte aligned; float4 body.
extern "C" __global__ void binary_f32(const float* __restrict__ a, const float* __restrict__ b, float* __restrict__ z, int n, int op) {
    int n4 = n >> 2;
    const float4* a4 = reinterpret_cast<const float4*>(a);
    const float4* b4 = reinterpret_cast<const float4*>(b);
    float4* z4 = reinterpret_cast<float4*>(z);
    int stride = gridDim.x * blockDim.x;
    int tid = blockIdx.x * blockDim.x + threadIdx.x;
    for (int i = tid; i < n4; i += stride) {
        float4 u = a4[i], v = b4[i];
        z4[i] = make_float4(binary_op(op, u.x, v.x), binary_op(op, u.y, v.y), binary_op(op, u.z, v.z), binary_op(op, u.w, v.w));
    }
    int t = (n4 << 2) + tid;
    if (t < n) z[t] = binary_op(op, a[t], b[t]);
}

// z[i] = f(a[off₁(i)], b[off₂(i)]) over L's shape, z contiguous: stride[0] is z's (unused),
// stride[1] a's and stride[2] b's broadcast strides.
extern "C" __global__ void binary_strided_f32(const float* __restrict__ a, const float* __restrict__ b, float* __restrict__ z, int n, int op, Layout L) {
    long long off[3];
    for (int i = blockIdx.x * blockDim.x + threadIdx.x; i < n; i += gridDim.x * blockDim.x) {
        layout_offsets(L, i, 3, off);
        z[i] = binary_op(op, a[off[1]], b[off[2]]);
    }
}

// out[i] = cond[off₀(i)] ≠ 0 ? a[off₁(i)] : b[off₂(i)], out contiguous over L's shape.
extern "C" __global__ void where_strided_f32(const float* __restrict__ cond, const float* __restrict__ a, const float* __restrict__ b,
                                             float* __restrict__ out, int n, Layout L) {
    long long off[3];
    for (int i = blockIdx.x * blockDim.x + threadIdx.x; i < n; i += gridDim.x * blockDim.x) {
        layout_offsets(L, i, 3, off);
        out[i] = cond[off[0]] != 0.0f ? a[off[1]] : b[off[2]];
    }
}

// dst[off₀(i)] = src[off₁(i)] over L's shape: a strided view written from a broadcast source
// (copyInto), or, with dst's strides contiguous, a gather into fresh storage (contiguous()).
extern "C" __global__ void copy_strided_f32(const float* __restrict__ src, float* __restrict__ dst, int n, Layout L) {
    long long off[3];
    for (int i = blockIdx.x * blockDim.x + threadIdx.x; i < n; i += gridDim.x * blockDim.x) {
        layout_offsets(L, i, 2, off);
        dst[off[0]] = src[off[1]];
    }
}
