// Max pooling without padding over P planes of h×w: out[p, y, x] = max_{i,j<k} x[p, y·s + i, x·s + j],
// oh = ⌊(h − k)/s⌋ + 1, ow likewise. The forward records each window's arg-max (the first
// maximum in row-major window order, as the CPU kernel) as a flat index iy·w + ix within the
// plane; the backward routes each output's gradient there.
#include "lethe.cuh"

extern "C" __global__ void maxpool_forward_f32(const float* __restrict__ x, float* __restrict__ out, int* __restrict__ argmax,
                                               int planes, int h, int w, int k, int s, int oh, int ow) {
    long long total = (long long) planes * oh * ow;
    for (long long t = blockIdx.x * (long long) blockDim.x + threadIdx.x; t < total; t += (long long) gridDim.x * blockDim.x) {
        int ox = (int) (t % ow);
        long long r = t / ow;
        int oy = (int) (r % oh);
        long long p = r / oh;
        const float* xp = x + p * h * w;
        int best = oy * s * w + ox * s;
        float bv = xp[best];
        for (int i = 0; i < k; i++) {
            for (int j = 0; j < k; j++) {
                int idx = (oy * s + i) * w + ox * s + j;
                float v = xp[idx];
                if (v > bv || (v != v && bv == bv)) { bv = v; best = idx; } // strictly greater: the first maximum stays; NaN wins
            }
        }
        out[t] = bv;
        argmax[t] = best;
    }
}

// dx[p, iy, ix] = Σ over the windows covering (iy, ix) whose arg-max is (iy, ix) of g at that
// window. One thread per input pixel gathers (no atomics; overlapping windows sum in a fixed order).
extern "C" __global__ void maxpool_backward_f32(const float* __restrict__ g, const int* __restrict__ argmax, float* __restrict__ dx,
                                                int planes, int h, int w, int k, int s, int oh, int ow) {
    long long total = (long long) planes * h * w;
    for (long long t = blockIdx.x * (long long) blockDim.x + threadIdx.x; t < total; t += (long long) gridDim.x * blockDim.x) {
        int ix = (int) (t % w);
        long long r = t / w;
        int iy = (int) (r % h);
        long long p = r / h;
        int here = iy * w + ix;
        // windows oy with oy·s ≤ iy < oy·s + k
        int oy0 = iy >= k ? (iy - k) / s + 1 : 0, oy1 = min(iy / s, oh - 1);
        int ox0 = ix >= k ? (ix - k) / s + 1 : 0, ox1 = min(ix / s, ow - 1);
        float acc = 0.0f;
        for (int oy = oy0; oy <= oy1; oy++) {
            for (int ox = ox0; ox <= ox1; ox++) {
                long long o = (p * oh + oy) * ow + ox;
                if (argmax[o] == here) acc += g[o];
            }
        }
        dx[t] = acc;
    }
}
