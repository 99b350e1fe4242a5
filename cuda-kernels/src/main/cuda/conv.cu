// im2col and col2im, the two halves of a convolution as a matrix product. Over P = N·C planes
// of h×w pixels, with a kh×kw window, strides (sh, sw), zero padding (ph, pw) and
// oh×ow = ⌊(h + 2ph − kh)/sh⌋ + 1 × ⌊(w + 2pw − kw)/sw⌋ + 1 window positions:
//   cols[p, i, j, y, x] = img[p, y·sh − ph + i, x·sw − pw + j]   (0 outside the image)
// which read as [N, C·kh·kw, oh·ow] is the unfold of dev.lethe.backend.Backend.
#include "lethe.cuh"

// One thread per column entry.
extern "C" __global__ void im2col_f32(const float* __restrict__ img, float* __restrict__ cols, int planes, int h, int w,
                                      int kh, int kw, int sh, int sw, int ph, int pw, int oh, int ow) {
    long long total = (long long) planes * kh * kw * oh * ow;
    for (long long t = blockIdx.x * (long long) blockDim.x + threadIdx.x; t < total; t += (long long) gridDim.x * blockDim.x) {
        int x = (int) (t % ow);
        long long r = t / ow;
        int y = (int) (r % oh); r /= oh;
        int j = (int) (r % kw); r /= kw;
        int i = (int) (r % kh);
        long long p = r / kh;
        int iy = y * sh - ph + i, ix = x * sw - pw + j;
        cols[t] = (iy >= 0 && iy < h && ix >= 0 && ix < w) ? img[(p * h + iy) * w + ix] : 0.0f;
    }
}

// The adjoint: img[p, iy, ix] = Σ over the (i, j, y, x) with y·sh − ph + i = iy and
// x·sw − pw + j = ix of cols[p, i, j, y, x]. One thread per pixel gathers its entries (no
// atomics, so the sum order is fixed).
extern "C" __global__ void col2im_f32(const float* __restrict__ cols, float* __restrict__ img, int planes, int h, int w,
                                      int kh, int kw, int sh, int sw, int ph, int pw, int oh, int ow) {
    long long total = (long long) planes * h * w;
    for (long long t = blockIdx.x * (long long) blockDim.x + threadIdx.x; t < total; t += (long long) gridDim.x * blockDim.x) {
        int ix = (int) (t % w);
        long long r = t / w;
        int iy = (int) (r % h);
        long long p = r / h;
        const float* cp = cols + p * kh * kw * oh * ow;
        float acc = 0.0f;
        for (int i = 0; i < kh; i++) {
            int yy = iy + ph - i;
            if (yy < 0 || yy % sh != 0) continue;
            int y = yy / sh;
            if (y >= oh) continue;
            for (int j = 0; j < kw; j++) {
                int xx = ix + pw - j;
                if (xx < 0 || xx % sw != 0) continue;
                int x = xx / sw;
                if (x >= ow) continue;
                acc += cp[(((long long) i * kw + j) * oh + y) * ow + x];
            }
        }
        img[t] = acc;
    }
}
