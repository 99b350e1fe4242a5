#include "lethe.cuh"

// The unlearning kernels that are not selection (select.cu): masks applied to weights, gradient
// projection and surgery (with their float64 dots; reduce.cu's dot_partials_f32 is the float32
// dot), Fisher accumulation and Selective Synaptic Dampening. One thread per element,
// grid-stride, except the block-sliced dots.

// Magnitude pruning against a threshold τ (the k-th largest |w| from radix select):
// keep[i] = |w_i| ≥ τ ? 1 : 0, and w_i ← +0 where keep[i] = 0. keep may be null.
extern "C" __global__ void prune_f32(float* __restrict__ w, float* __restrict__ keep, int n, float tau) {
    for (int i = blockIdx.x * blockDim.x + threadIdx.x; i < n; i += gridDim.x * blockDim.x) {
        float k = fabsf(w[i]) >= tau ? 1.0f : 0.0f;
        if (k == 0.0f) w[i] = 0.0f; // +0, as tensor-core's pruning writes removed weights
        if (keep != nullptr) keep[i] = k;
    }
}

// Applies a 0/1 mask in place: x_i ← mask_i ≠ 0 ? x_i : +0 (a saliency mask on a gradient, a
// pruning mask on weights), as tensor-core's surgery kernels write removed entries (+0, also
// where x_i was negative).
extern "C" __global__ void apply_mask_f32(float* __restrict__ x, const float* __restrict__ mask, int n) {
    for (int i = blockIdx.x * blockDim.x + threadIdx.x; i < n; i += gridDim.x * blockDim.x) {
        if (mask[i] == 0.0f) x[i] = 0.0f;
    }
}

// Gradient projection (PCGrad-style surgery): g ← g − c·r, where the host computed
// c = min(0, g·r)/‖r‖² from two dot products, so g loses the component that conflicts with r.
extern "C" __global__ void axpy_f32(float* __restrict__ g, const float* __restrict__ r, int n, float negC) {
    for (int i = blockIdx.x * blockDim.x + threadIdx.x; i < n; i += gridDim.x * blockDim.x) g[i] = fmaf(negC, r[i], g[i]);
}

// The Fisher diagonal's batch (tensor-core's FisherDiagonal): sum_i ← sum_i + g_i² (squared ≠ 0;
// the square rounded to float32 first, then the sum: two roundings, as the CPU pass and SSD's
// reference code) or sum_i + |g_i|. The explicit _rn operations keep nvcc from contracting
// them into one fma. A NaN g_i sets *nan to 1; nothing clears it, so one flag serves a list.
extern "C" __global__ void fisher_add_f32(float* __restrict__ sum, const float* __restrict__ g, int n, int squared, int* __restrict__ nan) {
    bool sawNaN = false;
    for (int i = blockIdx.x * blockDim.x + threadIdx.x; i < n; i += gridDim.x * blockDim.x) {
        float v = g[i];
        sawNaN |= v != v;
        sum[i] = __fadd_rn(sum[i], squared ? __fmul_rn(v, v) : fabsf(v));
    }
    if (sawNaN) *nan = 1;
}

// Gradient surgery's three dot products in one read of u and r: block k sums u·r, u² and r²
// over its fixed slice [k·chunk, (k+1)·chunk) in float64 (a product of two floats is exact
// there) and writes them to partials[3·(first + k) + {0, 1, 2}], so the launches for a list of
// tensors fill one buffer that the host adds up in order. Each thread's order, the butterflies
// and the warps' order are fixed: the sums repeat bit for bit.
extern "C" __global__ void dots3_partials_f64(const float* __restrict__ u, const float* __restrict__ r, double* __restrict__ partials, int n,
                                              int chunk, int first) {
    __shared__ double scratch[32];
    long long start = (long long) blockIdx.x * chunk;
    long long end = min((long long) n, start + chunk);
    double ur = 0.0, uu = 0.0, rr = 0.0;
    for (long long i = start + threadIdx.x; i < end; i += blockDim.x) {
        double a = u[i], b = r[i];
        ur = fma(a, b, ur);
        uu = fma(a, a, uu);
        rr = fma(b, b, rr);
    }
    ur = block_sum_f64(ur, scratch);
    uu = block_sum_f64(uu, scratch);
    rr = block_sum_f64(rr, scratch);
    if (threadIdx.x == 0) {
        double* p = partials + 3ll * (first + blockIdx.x);
        p[0] = ur;
        p[1] = uu;
        p[2] = rr;
    }
}

// Gradient surgery's direction d = a·g_u + b·g_r: out_i = fma(a, u_i, b·r_i) with b·r_i rounded
// first, as tensor-core's CPU pass computes it. out may be u or r (hence no __restrict__): each
// element is read before it is written, by the same thread.
extern "C" __global__ void surgery_combine_f32(const float* u, const float* r, float* out, int n, float a, float b) {
    for (int i = blockIdx.x * blockDim.x + threadIdx.x; i < n; i += gridDim.x * blockDim.x) out[i] = fmaf(a, u[i], __fmul_rn(b, r[i]));
}

// Selective Synaptic Dampening (Foster et al., AAAI 2024): with the Fisher diagonals of the
// forget set F_f and of the training data F_d, a parameter far more important to the forget
// set, F_f,i > α·F_d,i, is dampened, θ_i ← β_i·θ_i with β_i = min(λ·F_d,i / F_f,i, 1); the
// others are kept.
extern "C" __global__ void ssd_dampen_f32(float* __restrict__ theta, const float* __restrict__ fForget, const float* __restrict__ fData,
                                          int n, float alpha, float lambda) {
    for (int i = blockIdx.x * blockDim.x + threadIdx.x; i < n; i += gridDim.x * blockDim.x) {
        float ff = fForget[i], fd = fData[i];
        if (ff > alpha * fd) theta[i] *= fminf(lambda * fd / ff, 1.0f);
    }
}
