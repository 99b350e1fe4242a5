// The CUDA C dialect Lethe's kernels use, in plain C++20, so that the same .cu sources compile
// with g++ and run on the CPU (cpu-driver.cpp runs them; make-cpu-driver.sh includes this header
// before each .cu file). Covered: __global__/__device__ functions, one-, two- and
// three-dimensional grids and blocks, __shared__ memory, __syncthreads, the warp shuffles,
// ballot and match, atomicAdd, float4 and the intrinsics the kernels call. Nothing else of
// CUDA is: a kernel that starts to use more fails to compile here, naming it.
//
// How it runs: every CUDA thread of a block is a fiber (its own small stack) on one OS thread;
// a fiber runs until it finishes or reaches a barrier (__syncthreads, or a warp's exchange
// inside a shuffle or ballot), and the scheduler releases a barrier only when every live thread
// it waits for has reached it. An OS thread runs one block at a time, so __shared__ memory can
// be a thread-local static; several OS threads run a grid's blocks at once, so atomics are real
// ones, and float sums made with them vary in order from run to run, as on a GPU.
#pragma once

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <math.h>
#include <type_traits>
#include <utility>

struct uint3 {
    unsigned x, y, z;
};
struct dim3 {
    unsigned x, y, z;
};

namespace cuda_on_cpu {

// The coordinates of the thread that runs now (the scheduler points `now` at the running fiber's).
struct Coordinates {
    uint3 thread, block;
    dim3 blockShape, gridShape;
};
extern thread_local const Coordinates* now;

// Waits until every live thread of the block has called it.
void block_barrier();
// Publishes this thread's 8 bytes to its warp, waits for all 32 lanes, and returns lane
// `from`'s bytes; then waits again so that no lane overwrites a value another still reads.
uint64_t warp_exchange(uint64_t mine, int from);
// The 32 lanes' predicates as bits (lane i at bit i), after all 32 have given theirs.
unsigned warp_ballot(bool mine);
// The lanes whose 8 bytes equal this lane's, as bits, after all 32 have given theirs.
unsigned warp_match(uint64_t mine);
// The lane (0..31) of the running thread: its linear index in the block mod 32.
int lane();

// v from lane `from` of the running thread's warp (every lane of the warp must call it).
template <class T>
T exchange(T v, int from) {
    static_assert(sizeof(T) <= 8, "a shuffle moves at most 8 bytes");
    uint64_t bits = 0;
    std::memcpy(&bits, &v, sizeof(T));
    uint64_t got = warp_exchange(bits, from & 31);
    T out;
    std::memcpy(&out, &got, sizeof(T));
    return out;
}

// The bits of v read as a T (of the same size).
template <class T, class U>
T bits_of(U v) {
    static_assert(sizeof(T) == sizeof(U), "a reinterpretation keeps the size");
    T out;
    std::memcpy(&out, &v, sizeof(T));
    return out;
}

} // namespace cuda_on_cpu

#define threadIdx (cuda_on_cpu::now->thread)
#define blockIdx (cuda_on_cpu::now->block)
#define blockDim (cuda_on_cpu::now->blockShape)
#define gridDim (cuda_on_cpu::now->gridShape)

#define __global__
#define __device__
#define __forceinline__ inline
#define __launch_bounds__(...)
// One copy per OS thread, and an OS thread runs one block at a time (see above).
#define __shared__ static thread_local

inline void __syncthreads() { cuda_on_cpu::block_barrier(); }

template <class T>
inline T __shfl_sync(unsigned, T v, int srcLane) { return cuda_on_cpu::exchange(v, srcLane); }
template <class T>
inline T __shfl_xor_sync(unsigned, T v, int laneMask) { return cuda_on_cpu::exchange(v, cuda_on_cpu::lane() ^ laneMask); }
inline unsigned __ballot_sync(unsigned, int predicate) { return cuda_on_cpu::warp_ballot(predicate != 0); }
template <class T>
inline unsigned __match_any_sync(unsigned, T v) {
    static_assert(sizeof(T) <= 8, "a match compares at most 8 bytes");
    uint64_t bits = 0;
    std::memcpy(&bits, &v, sizeof(T));
    return cuda_on_cpu::warp_match(bits);
}

// atomicAdd: blocks run on several OS threads at once, so the sum is a compare-and-swap loop on
// the value's bits (fibers of one block are never preempted, but other blocks run).
template <class T>
inline T atomicAdd(T* address, T v) {
    static_assert(sizeof(T) == 4 || sizeof(T) == 8, "atomics on 4- or 8-byte values");
    using Bits = std::conditional_t<sizeof(T) == 4, uint32_t, uint64_t>;
    Bits* p = reinterpret_cast<Bits*>(address);
    Bits seen = __atomic_load_n(p, __ATOMIC_RELAXED);
    for (;;) {
        T old;
        std::memcpy(&old, &seen, sizeof(T));
        T sum = old + v;
        Bits wanted;
        std::memcpy(&wanted, &sum, sizeof(T));
        if (__atomic_compare_exchange_n(p, &seen, wanted, false, __ATOMIC_SEQ_CST, __ATOMIC_RELAXED)) return old;
    }
}

struct alignas(16) float4 {
    float x, y, z, w;
};
inline float4 make_float4(float x, float y, float z, float w) { return float4{x, y, z, w}; }

inline float __int_as_float(int v) { return cuda_on_cpu::bits_of<float>(v); }
inline unsigned __float_as_uint(float v) { return cuda_on_cpu::bits_of<unsigned>(v); }
inline int __popc(unsigned v) { return __builtin_popcount(v); }
inline int __ffs(int v) { return __builtin_ffs(v); }
// Round-to-nearest products and sums that are never contracted into an fma: this header is
// compiled with -ffp-contract=off, so a plain * or + is one.
inline float __fmul_rn(float a, float b) { return a * b; }
inline float __fadd_rn(float a, float b) { return a + b; }

// CUDA's min and max for any pair of one arithmetic type (device code calls them unqualified).
template <class T>
inline T min(T a, T b) { return a < b ? a : b; }
template <class T>
inline T max(T a, T b) { return a > b ? a : b; }

// ---------------------------------------------------------------- registration

namespace cuda_on_cpu {
// Calls a kernel with the argument values that cuLaunchKernel's params point at, one each.
using Invoker = void (*)(void* kernel, void** params);
void register_kernel(const char* name, void* kernel, Invoker invoke, int arity);

template <class... A, size_t... I>
void call(void (*k)(A...), void** params, std::index_sequence<I...>) {
    k(*static_cast<std::remove_cv_t<A>*>(params[I])...);
}
template <class... A>
void invoke(void* k, void** params) {
    call(reinterpret_cast<void (*)(A...)>(k), params, std::index_sequence_for<A...>{});
}
template <class... A>
int add(const char* name, void (*k)(A...)) {
    register_kernel(name, reinterpret_cast<void*>(k), &invoke<A...>, (int) sizeof...(A));
    return 0;
}
} // namespace cuda_on_cpu

// Makes kernel `name` (an extern "C" __global__ function defined above) launchable by name.
#define CUDA_ON_CPU_KERNEL(name) static int cuda_on_cpu_kernel_##name = cuda_on_cpu::add(#name, &name);
