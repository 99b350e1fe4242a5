// Fused optimiser steps, one thread per parameter element, in the per-element order of
// dev.lethe.optim.SGD and Adam (PyTorch's order); nvcc contracts a·b + c into fused
// multiply-adds, so the results equal the CPU's to float32 rounding, not bit for bit. mask may be null; where mask[j] == 0 the
// element is skipped entirely: neither the parameter nor its state moves.

// SGD: d = g + wd·p; with momentum μ: buf = first ? d : μ·buf + (1 − dampening)·d,
// d = nesterov ? d + μ·buf : buf; then p = p − lr·d. buf may be null when μ = 0.
extern "C" __global__ void sgd_step_f32(float* __restrict__ p, const float* __restrict__ g, float* __restrict__ buf,
                                        const float* __restrict__ mask, int n, float negLr, float wd, float mu, float keep,
                                        int nesterov, int first) {
    for (int j = blockIdx.x * blockDim.x + threadIdx.x; j < n; j += gridDim.x * blockDim.x) {
        if (mask != nullptr && mask[j] == 0.0f) continue;
        float pj = p[j];
        float d = g[j];
        if (wd != 0.0f) d = d + wd * pj;
        if (mu != 0.0f) {
            float b = first ? d : buf[j] * mu + keep * d;
            buf[j] = b;
            d = nesterov ? d + mu * b : b;
        }
        p[j] = pj + negLr * d;
    }
}

// Adam / AdamW at step t, with the bias corrections computed on the host in float64:
//   g = g + l2·p (Adam);  p = p·shrink with shrink = 1 − lr·wd (AdamW, when decay ≠ 0)
//   m = m + (1 − β₁)(g − m);  v = β₂v + (1 − β₂)g²
//   p = p + negStepSize·m / (√v / bc2Sqrt + ε),  negStepSize = −lr/(1 − β₁ᵗ), bc2Sqrt = √(1 − β₂ᵗ)
extern "C" __global__ void adam_step_f32(float* __restrict__ p, const float* __restrict__ g, float* __restrict__ m, float* __restrict__ v,
                                         const float* __restrict__ mask, int n, float l2, float shrink, int decay, float oneMinusB1,
                                         float b2, float oneMinusB2, float eps, float negStepSize, float bc2Sqrt) {
    for (int j = blockIdx.x * blockDim.x + threadIdx.x; j < n; j += gridDim.x * blockDim.x) {
        if (mask != nullptr && mask[j] == 0.0f) continue;
        float pj = p[j];
        float gj = g[j];
        if (l2 != 0.0f) gj = gj + l2 * pj;
        if (decay) pj = pj * shrink;
        float mj = m[j] + oneMinusB1 * (gj - m[j]);
        float vj = v[j] * b2 + oneMinusB2 * gj * gj;
        m[j] = mj;
        v[j] = vj;
        float denom = sqrtf(vj) / bc2Sqrt + eps;
        p[j] = pj + negStepSize * mj / denom;
    }
}
