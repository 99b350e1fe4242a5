// Top-k selection without sorting: radix select on the bits of float32 keys. A key is mapped
// to an unsigned integer whose order is the float order (flip every bit of a negative float,
// only the sign bit of a non-negative one), so the k-th largest key is found digit by digit,
// 8 bits at a time from the top: count the keys per digit value among those that match the
// digits fixed so far, step into the bucket that holds the k-th, repeat (4 passes). The host
// drives the passes (256 counts come back after each). Keys are x or |x| (saliency: |∇|);
// −0 counts as +0 (they are equal, as in tensor-core's TopK), NaN above +∞.
#include "lethe.cuh"

__device__ __forceinline__ unsigned order_bits(float x, int absval) {
    float v = absval ? fabsf(x) : x;
    unsigned b = __float_as_uint(v == 0.0f ? 0.0f : v);
    return (b & 0x80000000u) ? ~b : (b | 0x80000000u);
}

// hist[d] += #{i : (key_i & prefixMask) == prefix and digit (key_i >> shift) & 255 == d}.
// hist must be zeroed before; block-local counts in shared memory, then one atomic per bucket
// per block (integer sums: the order does not matter).
extern "C" __global__ void radix_histogram_f32(const float* __restrict__ x, int n, int absval, unsigned prefix, unsigned prefixMask,
                                               int shift, unsigned* __restrict__ hist) {
    __shared__ unsigned local[256];
    for (int d = threadIdx.x; d < 256; d += blockDim.x) local[d] = 0;
    __syncthreads();
    for (int i = blockIdx.x * blockDim.x + threadIdx.x; i < n; i += gridDim.x * blockDim.x) {
        unsigned key = order_bits(x[i], absval);
        if ((key & prefixMask) == prefix) atomicAdd(&local[(key >> shift) & 255u], 1u);
    }
    __syncthreads();
    for (int d = threadIdx.x; d < 256; d += blockDim.x) if (local[d]) atomicAdd(&hist[d], local[d]);
}

// Per block of `chunk` consecutive elements: how many keys equal the threshold key
// (ties[block]). The host turns these into each block's first tie rank.
extern "C" __global__ void count_ties_f32(const float* __restrict__ x, int n, int absval, unsigned thresholdKey, int chunk,
                                          unsigned* __restrict__ ties) {
    __shared__ unsigned count;
    if (threadIdx.x == 0) count = 0;
    __syncthreads();
    long long start = (long long) blockIdx.x * chunk, end = min((long long) n, start + chunk);
    unsigned c = 0;
    for (long long i = start + threadIdx.x; i < end; i += blockDim.x) c += order_bits(x[i], absval) == thresholdKey;
    atomicAdd(&count, c);
    __syncthreads();
    if (threadIdx.x == 0) ties[blockIdx.x] = count;
}

// The exact top-k mask: mask[i] = 1 where key_i > threshold, and for the keys equal to the
// threshold only the first `tiesTaken` by index (so exactly k ones, ties to the lowest index);
// 0 elsewhere. tieBase[block] counts the ties in the blocks before; inside a block, one warp
// walks the chunk in order with a ballot prefix count, so tie ranks follow the index.
extern "C" __global__ void topk_mask_f32(const float* __restrict__ x, float* __restrict__ mask, int n, int absval, unsigned thresholdKey,
                                         int chunk, const unsigned* __restrict__ tieBase, unsigned tiesTaken) {
    long long start = (long long) blockIdx.x * chunk, end = min((long long) n, start + chunk);
    if (threadIdx.x >= 32) {
        // threads beyond the first warp only write the clear-cut entries
        for (long long i = start + threadIdx.x - 32; i < end; i += blockDim.x - 32) {
            unsigned key = order_bits(x[i], absval);
            if (key != thresholdKey) mask[i] = key > thresholdKey ? 1.0f : 0.0f;
        }
        return;
    }
    unsigned rank = tieBase[blockIdx.x];
    for (long long base = start; base < end; base += 32) {
        long long i = base + threadIdx.x;
        bool tie = i < end && order_bits(x[i], absval) == thresholdKey;
        unsigned ballot = __ballot_sync(0xffffffffu, tie);
        if (tie) {
            unsigned myRank = rank + __popc(ballot & ((1u << threadIdx.x) - 1u));
            mask[i] = myRank < tiesTaken ? 1.0f : 0.0f;
        }
        rank += __popc(ballot);
    }
}
