// Row-wise softmax, log-softmax and fused softmax + cross-entropy over contiguous [rows, c]
// float32, one block per row (grid-stride over rows), reductions by warp shuffles.
#include "lethe.cuh"

// With m = max_j x_j and s = Σ_j e^(x_j − m):
//   softmax:     y_j = e^(x_j − m) / s
//   log-softmax: y_j = (x_j − m) − ln s
extern "C" __global__ void softmax_rows_f32(const float* __restrict__ x, float* __restrict__ y, int rows, int c, int log) {
    __shared__ float scratch[32];
    for (int row = blockIdx.x; row < rows; row += gridDim.x) {
        const float* xr = x + (long long) row * c;
        float* yr = y + (long long) row * c;
        float m = reduce_identity(R_MAX);
        for (int j = threadIdx.x; j < c; j += blockDim.x) m = nan_max(m, xr[j]);
        m = block_reduce(R_MAX, m, scratch);
        float s = 0.0f;
        for (int j = threadIdx.x; j < c; j += blockDim.x) s += expf(xr[j] - m);
        s = block_reduce(R_SUM, s, scratch);
        if (log) {
            float ls = logf(s);
            for (int j = threadIdx.x; j < c; j += blockDim.x) yr[j] = (xr[j] - m) - ls;
        } else {
            float inv = 1.0f / s;
            for (int j = threadIdx.x; j < c; j += blockDim.x) yr[j] = expf(xr[j] - m) * inv;
        }
    }
}

// Cross-entropy with label smoothing ε for logits x [rows, c] and class targets t:
//   loss_i = (1−ε)·(ln s − (x_t − m)) + ε·(ln s − mean_j (x_j − m))
// (= (1−ε)(−log p_t) + ε·mean_j(−log p_j)). When probs is not null the softmax
// p_j = e^(x_j − m)/s is written there for the backward.
extern "C" __global__ void softmax_xent_f32(const float* __restrict__ x, const int* __restrict__ targets, float* __restrict__ losses,
                                            float* __restrict__ probs, int rows, int c, float eps) {
    __shared__ float scratch[32];
    for (int row = blockIdx.x; row < rows; row += gridDim.x) {
        const float* xr = x + (long long) row * c;
        float m = reduce_identity(R_MAX);
        for (int j = threadIdx.x; j < c; j += blockDim.x) m = nan_max(m, xr[j]);
        m = block_reduce(R_MAX, m, scratch);
        float s = 0.0f, shifted = 0.0f;
        for (int j = threadIdx.x; j < c; j += blockDim.x) {
            float d = xr[j] - m;
            s += expf(d);
            shifted += d;
        }
        s = block_reduce(R_SUM, s, scratch);
        shifted = block_reduce(R_SUM, shifted, scratch);
        float ls = logf(s);
        if (probs != nullptr) {
            float inv = 1.0f / s;
            float* pr = probs + (long long) row * c;
            for (int j = threadIdx.x; j < c; j += blockDim.x) pr[j] = expf(xr[j] - m) * inv;
        }
        if (threadIdx.x == 0) {
            float nll = ls - (xr[targets[row]] - m);
            float uniform = ls - shifted / (float) c;
            losses[row] = (1.0f - eps) * nll + eps * uniform;
        }
    }
}

// The backward of softmax_xent_f32: dx_{i,j} = (p_{i,j} − (1−ε)·[j = t_i] − ε/c)·g_i, with
// g_i = g[i·gStride]·scale (gStride 0 for the gradient of a reduced loss, scale 1/rows for a
// mean). As the CPU kernel: p·g_i − (ε/c)·g_i off the target, and (p − 1)·g_i + ε(1 − 1/c)·g_i
// at it (p − 1 is exact near p = 1; perClass = ε/c and atTarget = ε(1 − 1/c) come from the
// host in float64). One thread per element.
extern "C" __global__ void softmax_xent_backward_f32(const float* __restrict__ probs, const int* __restrict__ targets, const float* __restrict__ g,
                                                     int gStride, float scale, float* __restrict__ dx, int rows, int c,
                                                     float perClass, float atTarget) {
    long long total = (long long) rows * c;
    for (long long t = blockIdx.x * (long long) blockDim.x + threadIdx.x; t < total; t += (long long) gridDim.x * blockDim.x) {
        int i = (int) (t / c), j = (int) (t % c);
        float gi = g[(long long) i * gStride] * scale;
        dx[t] = j == targets[i] ? fmaf(probs[t] - 1.0f, gi, atTarget * gi) : fmaf(probs[t], gi, -perClass * gi);
    }
}
