// Top-k selection without sorting: radix select on the bits of float32 keys. A key is mapped
// to an unsigned integer whose order is the float order (flip every bit of a negative float,
// only the sign bit of a non-negative one), so the k-th largest key is found digit by digit,
// 8 bits at a time from the top: count the keys per digit value among those that match the
// digits fixed so far, step into the bucket that holds the k-th, repeat (4 passes). The host
// drives the passes (256 counts come back after each). Keys are x or |x| (saliency: |∇|);
// −0 counts as +0 (they are equal, as in tensor-core's TopK), NaN above +∞.
//
// A top-k mask of many keys first brackets the threshold with a sample (sample_keys_f32, sorted
// on the host): one pass (bracket_mask_f32) writes the mask of every key outside the bracket
// [lo, hi] and gathers the few inside it, among which the radix select then runs.
#include "lethe.cuh"

__device__ __forceinline__ unsigned order_bits(float x, int absval) {
    float v = absval ? fabsf(x) : x;
    unsigned b = __float_as_uint(v == 0.0f ? 0.0f : v);
    return (b & 0x80000000u) ? ~b : (b | 0x80000000u);
}

// hist[d] += #{i : (key_i & prefixMask) == prefix and digit (key_i >> shift) & 255 == d}.
// hist must be zeroed before; block-local counts in shared memory, then one atomic per bucket
// per block (integer sums: the order does not matter). Keys that survive the prefix mostly
// share their next digit (the bracket's candidates, or |∇| in one binade), so each warp first
// groups its lanes by digit (__match_any_sync) and one lane per group adds the group's size:
// one shared atomic per distinct digit in the warp instead of one per key. Each warp walks 32
// consecutive elements at a time, so all its lanes take part in every match.
extern "C" __global__ void radix_histogram_f32(const float* __restrict__ x, int n, int absval, unsigned prefix, unsigned prefixMask,
                                               int shift, unsigned* __restrict__ hist) {
    __shared__ unsigned local[256];
    for (int d = threadIdx.x; d < 256; d += blockDim.x) local[d] = 0;
    __syncthreads();
    int lane = threadIdx.x & 31;
    for (long long w0 = (long long) blockIdx.x * blockDim.x + (threadIdx.x & ~31); w0 < n; w0 += (long long) gridDim.x * blockDim.x) {
        long long i = w0 + lane;
        int digit = -1;
        if (i < n) {
            unsigned key = order_bits(x[i], absval);
            if ((key & prefixMask) == prefix) digit = (int) ((key >> shift) & 255u);
        }
        unsigned peers = __match_any_sync(0xffffffffu, digit);
        if (digit >= 0 && lane == __ffs(peers) - 1) atomicAdd(&local[digit], (unsigned) __popc(peers));
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

// keys[j] = the order key of x[j·stride] (or |x|), for j < count: an evenly spaced sample.
extern "C" __global__ void sample_keys_f32(const float* __restrict__ x, long long stride, int count, int absval, unsigned* __restrict__ keys) {
    for (int j = blockIdx.x * blockDim.x + threadIdx.x; j < count; j += gridDim.x * blockDim.x) keys[j] = order_bits(x[j * stride], absval);
}

// Candidates one block may gather in shared memory before it hands them on.
#define BRACKET_BLOCK_CAP 1024

// With keys ranked as order_bits: mask[i] = 1 where key_i > hi, 0 elsewhere; the keys in
// [lo, hi] (the candidates) are appended to (values, index), their values as x or |x|, and
// counted. counters[0] += #{key > hi}, counters[1] += #candidates, counters[2] = 1 if a block
// held more than BRACKET_BLOCK_CAP of them (a candidate past `cap` in all is counted, not
// written). Each warp walks 32 consecutive elements at a time, so its ballots see all lanes;
// a block gathers its candidates in shared memory and appends them with one global atomic.
extern "C" __global__ void bracket_mask_f32(const float* __restrict__ x, float* __restrict__ mask, int n, int absval, unsigned lo, unsigned hi,
                                            float* __restrict__ values, int* __restrict__ index, int cap, unsigned* __restrict__ counters) {
    __shared__ float blockValues[BRACKET_BLOCK_CAP];
    __shared__ int blockIndex[BRACKET_BLOCK_CAP];
    __shared__ unsigned gathered, above, base;
    if (threadIdx.x == 0) { gathered = 0; above = 0; }
    __syncthreads();
    int lane = threadIdx.x & 31;
    unsigned mine = 0;
    for (long long w0 = (long long) blockIdx.x * blockDim.x + (threadIdx.x & ~31); w0 < n; w0 += (long long) gridDim.x * blockDim.x) {
        long long i = w0 + lane;
        bool valid = i < n;
        float v = valid ? x[i] : 0.0f;
        unsigned key = order_bits(v, absval);
        bool candidate = valid && key >= lo && key <= hi;
        if (valid) {
            mask[i] = key > hi ? 1.0f : 0.0f;
            mine += key > hi;
        }
        unsigned ballot = __ballot_sync(0xffffffffu, candidate);
        if (ballot != 0) {
            unsigned first = 0;
            if (lane == 0) first = atomicAdd(&gathered, (unsigned) __popc(ballot));
            first = __shfl_sync(0xffffffffu, first, 0);
            unsigned slot = first + __popc(ballot & ((1u << lane) - 1u));
            if (candidate && slot < BRACKET_BLOCK_CAP) {
                blockValues[slot] = absval ? fabsf(v) : v;
                blockIndex[slot] = (int) i;
            }
        }
    }
    for (int o = 16; o > 0; o >>= 1) mine += __shfl_xor_sync(0xffffffffu, mine, o);
    if (lane == 0 && mine != 0) atomicAdd(&above, mine);
    __syncthreads();
    unsigned kept = min(gathered, (unsigned) BRACKET_BLOCK_CAP);
    if (threadIdx.x == 0) {
        if (above != 0) atomicAdd(&counters[0], above);
        if (gathered > BRACKET_BLOCK_CAP) counters[2] = 1;
        base = kept != 0 ? atomicAdd(&counters[1], kept) : 0;
    }
    __syncthreads();
    for (unsigned j = threadIdx.x; j < kept; j += blockDim.x) {
        if (base + j < (unsigned) cap) {
            values[base + j] = blockValues[j];
            index[base + j] = blockIndex[j];
        }
    }
}

// mask[index[j]] = 1 for the candidates whose key is at least the threshold key (every tie
// taken; the host checks that the selection takes them all), for j < count.
extern "C" __global__ void mark_candidates_f32(float* __restrict__ mask, const float* __restrict__ values, const int* __restrict__ index, int count,
                                               unsigned thresholdKey) {
    for (int j = blockIdx.x * blockDim.x + threadIdx.x; j < count; j += gridDim.x * blockDim.x) {
        if (order_bits(values[j], 0) >= thresholdKey) mask[index[j]] = 1.0f;
    }
}
