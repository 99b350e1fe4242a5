// The unlearning kernels that are not selection (select.cu) or dots (reduce.cu's
// dot_partials_f32): masks applied to weights, gradient projection, Fisher accumulation and
// Selective Synaptic Dampening. One thread per element, grid-stride.

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

// Diagonal Fisher accumulation: F_i ← F_i + scale·g_i² (scale = 1/number of samples for a mean).
extern "C" __global__ void fisher_accumulate_f32(float* __restrict__ fisher, const float* __restrict__ g, int n, float scale) {
    for (int i = blockIdx.x * blockDim.x + threadIdx.x; i < n; i += gridDim.x * blockDim.x) {
        float gi = g[i];
        fisher[i] = fmaf(scale, gi * gi, fisher[i]);
    }
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
