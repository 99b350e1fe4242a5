// A libcuda.so.1 that runs Lethe's kernels on the CPU: the CUDA driver entries JCuda calls,
// with device memory in host memory and each kernel launch running the kernel's CUDA C source,
// compiled by g++ against cuda-on-cpu.h (make-cpu-driver.sh builds it). It exists to test the
// kernels and the Java side around them on machines without a GPU; it says nothing about PTX,
// the GPU's memory model or speed.
//
// What it checks that a GPU would not report as clearly:
//  - every copy and memset must lie inside one live allocation (else CUDA_ERROR_INVALID_VALUE,
//    with the range and the allocation printed on stderr);
//  - fresh allocations are filled with 0xFF bytes (float NaN), so code that reads memory it
//    never wrote sees NaN rather than a GPU's usual leftovers;
//  - a block whose threads cannot all reach a barrier (a __syncthreads some threads skip, a
//    shuffle in a warp with exited lanes) fails its launch with CUDA_ERROR_LAUNCH_FAILED.
#include "cuda-on-cpu.h"

#include <sys/mman.h>
#include <unistd.h>

#include <atomic>
#include <condition_variable>
#include <cstdio>
#include <cstdlib>
#include <functional>
#include <map>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#if !defined(__x86_64__)
#include <ucontext.h>
#endif

namespace cuda_on_cpu {

thread_local const Coordinates* now;

// ---------------------------------------------------------------- kernels by name

namespace {
struct Registered {
    void* kernel;
    Invoker invoke;
    int arity;
};
std::map<std::string, Registered>& registry() {
    static std::map<std::string, Registered> r;
    return r;
}
} // namespace

void register_kernel(const char* name, void* kernel, Invoker invoke, int arity) { registry()[name] = {kernel, invoke, arity}; }

// ---------------------------------------------------------------- fibers

namespace {

constexpr size_t STACK_BYTES = 128 * 1024;

#if defined(__x86_64__)
// Saves the callee-saved registers, MXCSR and the x87 control word on the current stack, stores
// the stack pointer in *save, switches to `load` and restores the same from there.
extern "C" __attribute__((visibility("hidden"))) void cuda_on_cpu_switch(void** save, void* load);
asm(".text\n"
    ".globl cuda_on_cpu_switch\n"
    ".hidden cuda_on_cpu_switch\n"
    ".type cuda_on_cpu_switch,@function\n"
    "cuda_on_cpu_switch:\n"
    "  pushq %rbp\n  pushq %rbx\n  pushq %r12\n  pushq %r13\n  pushq %r14\n  pushq %r15\n"
    "  subq $8, %rsp\n  stmxcsr (%rsp)\n  fnstcw 4(%rsp)\n"
    "  movq %rsp, (%rdi)\n  movq %rsi, %rsp\n"
    "  ldmxcsr (%rsp)\n  fldcw 4(%rsp)\n  addq $8, %rsp\n"
    "  popq %r15\n  popq %r14\n  popq %r13\n  popq %r12\n  popq %rbx\n  popq %rbp\n"
    "  ret\n"
    ".size cuda_on_cpu_switch,.-cuda_on_cpu_switch\n");

struct Context {
    void* sp = nullptr;
};

// A stack that `cuda_on_cpu_switch` can switch to: it returns into entry (which never returns)
// with the stack aligned as at a function's first instruction.
void prepare(Context& c, char* stack, void (*entry)()) {
    auto* sp = reinterpret_cast<uint64_t*>(reinterpret_cast<uintptr_t>(stack + STACK_BYTES) & ~uintptr_t(15));
    *--sp = 0;                                 // entry's own return address: none
    *--sp = reinterpret_cast<uint64_t>(entry); // where the switch's ret goes
    for (int i = 0; i < 6; i++) *--sp = 0;     // rbp rbx r12 r13 r14 r15
    *--sp = uint64_t(0x037F) << 32 | 0x1F80;   // MXCSR and x87 control word: the defaults
    c.sp = sp;
}

void swap(Context& from, Context& to) { cuda_on_cpu_switch(&from.sp, to.sp); }
#else
struct Context {
    ucontext_t uc;
};

void prepare(Context& c, char* stack, void (*entry)()) {
    getcontext(&c.uc);
    c.uc.uc_stack.ss_sp = stack;
    c.uc.uc_stack.ss_size = STACK_BYTES;
    c.uc.uc_link = nullptr;
    makecontext(&c.uc, entry, 0);
}

void swap(Context& from, Context& to) { swapcontext(&from.uc, &to.uc); }
#endif

enum class State { RUNNABLE, AT_BLOCK_BARRIER, AT_WARP_BARRIER, DONE };

struct Fiber {
    Context context;
    State state;
    Coordinates coordinates;
};

// One OS thread's share of a launch: its fibers (one per thread of a block, reused block after
// block), the scheduler's context, each warp's exchange slots, and the shuffled schedule's state.
struct Run {
    void* kernel;
    Invoker invoke;
    void** params;
    int threads;
    std::vector<Fiber> fibers;
    char* stacks = nullptr;
    Context scheduler;
    Fiber* running = nullptr;
    std::vector<uint64_t> slots;
    std::vector<int> ready;
    uint64_t rng = 0;
    std::string error;
};

thread_local Run* run;

void fiber_main() {
    Run* r = run;
    r->invoke(r->kernel, r->params);
    r->running->state = State::DONE;
    swap(r->running->context, r->scheduler);
    std::abort(); // a finished fiber is never resumed
}

void wait_at(State s) {
    Run* r = run;
    r->running->state = s;
    swap(r->running->context, r->scheduler);
}

// How the scheduler picks which threads of a block run next, from the environment variable
// CPU_DRIVER_ORDER:
//   forward    (the default) every warp in turn, warp 0 first, each lane to its next barrier;
//              a barrier is released once no thread can run;
//   reverse    the same, last warp first;
//   shuffle:N  one warp at a time, picked at random (seeded by N) among those that can run,
//              runs as far as it can: its own exchanges are released as soon as its 32 lanes
//              reach them, so it stops only at a __syncthreads or its end, ahead of the warps
//              not yet picked, as a GPU may run it. A kernel that misses a __syncthreads can
//              pass in the first two orders and fail in this one.
struct Order {
    int kind = 0; // 0 forward, 1 reverse, 2 shuffle
    uint64_t seed = 0;

    Order() {
        const char* e = std::getenv("CPU_DRIVER_ORDER");
        if (e == nullptr || std::strcmp(e, "forward") == 0) return;
        if (std::strcmp(e, "reverse") == 0) {
            kind = 1;
        } else if (std::strncmp(e, "shuffle:", 8) == 0) {
            kind = 2;
            seed = std::strtoull(e + 8, nullptr, 10);
        } else {
            std::fprintf(stderr, "cpu-driver: CPU_DRIVER_ORDER=%s; expected forward, reverse or shuffle:N\n", e);
            std::exit(2);
        }
    }
};

const Order& order() {
    static Order* o = new Order;
    return *o;
}

// A number in [0, n) from the run's 64-bit LCG (its high bits), seeded per block so that a
// block's schedule does not depend on which OS thread runs it.
int below(Run& r, int n) {
    r.rng = r.rng * 6364136223846793005ull + 1442695040888963407ull;
    return (int) ((r.rng >> 33) % (uint64_t) n);
}

// Runs warp w's runnable lanes, in lane order, each to its next barrier or its end; returns
// whether any ran.
bool run_warp(Run& r, int w) {
    bool ran = false;
    for (int t = w * 32; t < std::min(r.threads, w * 32 + 32); t++) {
        Fiber& f = r.fibers[t];
        if (f.state != State::RUNNABLE) continue;
        r.running = &f;
        now = &f.coordinates;
        swap(r.scheduler, f.context);
        ran = true;
    }
    return ran;
}

// Releases warp w's exchange if every lane waits at it: true if released; false if not, or if
// some lanes wait for lanes that have exited (then with r.error set).
bool release_warp(Run& r, int w) {
    int waiting = 0, done = 0, lanes = std::min(32, r.threads - w * 32);
    for (int l = 0; l < lanes; l++) {
        waiting += r.fibers[w * 32 + l].state == State::AT_WARP_BARRIER;
        done += r.fibers[w * 32 + l].state == State::DONE;
    }
    if (waiting > 0 && done > 0) r.error = "warp " + std::to_string(w) + ": a shuffle or ballot waits for lanes that have exited";
    if (waiting != lanes) return false;
    for (int l = 0; l < lanes; l++) r.fibers[w * 32 + l].state = State::RUNNABLE;
    return true;
}

// Runs every thread of the block at `block` to its end; false (with r.error set) if the block
// cannot finish because its threads wait at barriers that cannot all be reached.
bool run_block(Run& r, uint3 block, dim3 grid, dim3 shape) {
    int n = r.threads, warps = (n + 31) / 32;
    for (int t = 0; t < n; t++) {
        Fiber& f = r.fibers[t];
        f.state = State::RUNNABLE;
        f.coordinates.thread = uint3{t % shape.x, t / shape.x % shape.y, t / (shape.x * shape.y)};
        f.coordinates.block = block;
        f.coordinates.blockShape = shape;
        f.coordinates.gridShape = grid;
        prepare(f.context, r.stacks + (size_t) t * (STACK_BYTES + 4096) + 4096, fiber_main);
    }
    const Order& o = order();
    r.rng = (o.seed + 1) * 0x9E3779B97F4A7C15ull ^ ((uint64_t) block.x + grid.x * ((uint64_t) block.y + (uint64_t) grid.y * block.z));
    std::vector<int>& ready = r.ready;
    for (;;) {
        if (o.kind == 2) {
            ready.clear();
            for (int w = 0; w < warps; w++) {
                for (int t = w * 32; t < std::min(n, w * 32 + 32); t++) {
                    if (r.fibers[t].state == State::RUNNABLE) {
                        ready.push_back(w);
                        break;
                    }
                }
            }
            if (!ready.empty()) {
                int w = ready[below(r, (int) ready.size())];
                do run_warp(r, w);
                while (release_warp(r, w));
                if (!r.error.empty()) return false;
                continue;
            }
        } else {
            bool ran = false;
            for (int i = 0; i < warps; i++) ran |= run_warp(r, o.kind == 1 ? warps - 1 - i : i);
            if (ran) continue;
        }
        // No thread can run: release a barrier that all its threads have reached.
        int live = 0, atBlock = 0;
        for (const Fiber& f : r.fibers) {
            live += f.state != State::DONE;
            atBlock += f.state == State::AT_BLOCK_BARRIER;
        }
        if (live == 0) return true;
        if (atBlock == live) { // __syncthreads: threads that have exited count as arrived
            for (Fiber& f : r.fibers) if (f.state == State::AT_BLOCK_BARRIER) f.state = State::RUNNABLE;
            continue;
        }
        bool released = false;
        for (int w = 0; w < warps; w++) released |= release_warp(r, w);
        if (!r.error.empty()) return false;
        if (!released) {
            r.error = std::to_string(live) + " live threads, " + std::to_string(atBlock) + " at __syncthreads, the others at a warp exchange: they can never all meet";
            return false;
        }
    }
}

} // namespace

void block_barrier() { wait_at(State::AT_BLOCK_BARRIER); }

int lane() { return (int) (run->running - run->fibers.data()) & 31; }

// Publishes this lane's 8 bytes, waits for the whole warp, and returns `read` of the warp's
// slots (lane l's at [l]); then waits again, so that no lane overwrites its slot while another
// still reads it.
template <class Read>
auto warp_publish(uint64_t mine, Read read) {
    Run* r = run;
    int t = (int) (r->running - r->fibers.data());
    r->slots[t] = mine;
    wait_at(State::AT_WARP_BARRIER);
    auto result = read(r->slots.data() + (t & ~31), std::min(32, r->threads - (t & ~31)));
    wait_at(State::AT_WARP_BARRIER);
    return result;
}

uint64_t warp_exchange(uint64_t mine, int from) {
    return warp_publish(mine, [from](const uint64_t* warp, int) { return warp[from]; });
}

// Bit l set where `test` holds for lane l's 8 bytes.
template <class Test>
unsigned warp_collect(uint64_t mine, Test test) {
    return warp_publish(mine, [test](const uint64_t* warp, int lanes) {
        unsigned bits = 0;
        for (int l = 0; l < lanes; l++) bits |= (unsigned) test(warp[l]) << l;
        return bits;
    });
}

unsigned warp_ballot(bool mine) {
    return warp_collect(mine, [](uint64_t v) { return v != 0; });
}

unsigned warp_match(uint64_t mine) {
    return warp_collect(mine, [mine](uint64_t v) { return v == mine; });
}

} // namespace cuda_on_cpu

// ---------------------------------------------------------------- the driver API

using namespace cuda_on_cpu;

namespace {

enum : int {
    SUCCESS = 0,
    INVALID_VALUE = 1,
    OUT_OF_MEMORY = 2,
    INVALID_HANDLE = 400,
    NOT_FOUND = 500,
    LAUNCH_FAILED = 719,
};

std::mutex lock;
// Live allocations: address → bytes asked for.
std::map<uintptr_t, size_t> allocations;
size_t allocated;
std::vector<std::string> modules;
std::vector<std::pair<std::string, Registered>> functions;

size_t physical_memory() { return (size_t) sysconf(_SC_PHYS_PAGES) * (size_t) sysconf(_SC_PAGE_SIZE); }

// True if [p, p + bytes) lies inside one live allocation; says what is wrong on stderr if not.
bool inside(uintptr_t p, size_t bytes, const char* call) {
    std::lock_guard<std::mutex> g(lock);
    auto it = allocations.upper_bound(p);
    if (it != allocations.begin()) {
        --it;
        if (p >= it->first && p + bytes <= it->first + it->second) return true;
        std::fprintf(stderr, "cpu-driver: %s of %zu bytes at 0x%zx: the nearest allocation below is 0x%zx, %zu bytes\n", call, bytes, (size_t) p,
                     (size_t) it->first, it->second);
    } else {
        std::fprintf(stderr, "cpu-driver: %s of %zu bytes at 0x%zx: no allocation there\n", call, bytes, (size_t) p);
    }
    return false;
}

int copy(uintptr_t dst, uintptr_t src, size_t bytes, bool dstOnDevice, bool srcOnDevice, const char* call) {
    if (bytes == 0) return SUCCESS;
    if (dstOnDevice && !inside(dst, bytes, call)) return INVALID_VALUE;
    if (srcOnDevice && !inside(src, bytes, call)) return INVALID_VALUE;
    std::memmove(reinterpret_cast<void*>(dst), reinterpret_cast<const void*>(src), bytes);
    return SUCCESS;
}

int memset32(uintptr_t dst, unsigned value, size_t n) {
    if (n == 0) return SUCCESS;
    if (!inside(dst, n * 4, "cuMemsetD32")) return INVALID_VALUE;
    auto* d = reinterpret_cast<unsigned*>(dst);
    for (size_t i = 0; i < n; i++) d[i] = value;
    return SUCCESS;
}

// The OS threads that run the grids' blocks, so that fibers never touch a JVM thread's stack,
// with the fiber stacks each keeps from launch to launch (each stack with a guard page below
// it, so an overflow faults instead of writing a neighbour). CPU_DRIVER_THREADS sets how many
// (default: the machine's hardware threads, at most 16). Launches take turns, as on one stream.
class Pool {
  public:
    Pool() {
        const char* e = std::getenv("CPU_DRIVER_THREADS");
        unsigned hw = std::thread::hardware_concurrency();
        workers = e != nullptr ? std::max(1, std::atoi(e)) : (int) std::clamp(hw, 1u, 16u);
        stacks.assign(workers, nullptr);
        stackCounts.assign(workers, 0);
    }

    // Runs job(worker, stacks) on every worker at once, with stacks for `threads` fibers each;
    // returns when all are done.
    void run(int threads, const std::function<void(int, char*)>& job) {
        std::lock_guard<std::mutex> turn(launching);
        std::unique_lock<std::mutex> g(m);
        if (!started) {
            for (int w = 0; w < workers; w++) std::thread(&Pool::loop, this, w).detach();
            started = true;
        }
        for (int w = 0; w < workers; w++) if (threads > stackCounts[w]) grow(w, threads);
        current = &job;
        remaining = workers;
        generation++;
        cv.notify_all();
        cv.wait(g, [this] { return remaining == 0; });
        current = nullptr;
    }

  private:
    int workers;
    std::mutex launching, m;
    std::condition_variable cv;
    const std::function<void(int, char*)>* current = nullptr;
    bool started = false;
    int remaining = 0;
    uint64_t generation = 0;
    std::vector<char*> stacks;
    std::vector<int> stackCounts;

    void grow(int w, int threads) {
        if (stacks[w]) munmap(stacks[w], (size_t) stackCounts[w] * (STACK_BYTES + 4096));
        size_t bytes = (size_t) threads * (STACK_BYTES + 4096);
        void* p = mmap(nullptr, bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
        if (p == MAP_FAILED) {
            std::perror("cpu-driver: mmap of fiber stacks");
            std::abort();
        }
        stacks[w] = static_cast<char*>(p);
        stackCounts[w] = threads;
        for (int t = 0; t < threads; t++) mprotect(stacks[w] + (size_t) t * (STACK_BYTES + 4096), 4096, PROT_NONE);
    }

    void loop(int w) {
        std::unique_lock<std::mutex> g(m);
        uint64_t seen = 0;
        for (;;) {
            cv.wait(g, [&] { return generation != seen; });
            seen = generation;
            const std::function<void(int, char*)>* job = current;
            char* mine = stacks[w];
            g.unlock();
            (*job)(w, mine);
            g.lock();
            if (--remaining == 0) cv.notify_all();
        }
    }
};

// Never destroyed: at exit, a destructor would wait for the worker threads parked on its condition.
Pool& pool = *new Pool;

// Runs the grid: the workers take blocks in turn from a shared counter until none is left or
// one fails.
int launch(const Registered& k, const std::string& name, dim3 grid, dim3 block, void** params) {
    int threads = (int) (block.x * block.y * block.z);
    unsigned long long blocks = (unsigned long long) grid.x * grid.y * grid.z;
    std::atomic<unsigned long long> next{0};
    std::atomic<bool> failed{false};
    std::mutex failure;
    std::string error;
    uint3 failedAt{};
    pool.run(threads, [&](int, char* stacks) {
        Run r;
        r.kernel = k.kernel;
        r.invoke = k.invoke;
        r.params = params;
        r.threads = threads;
        r.fibers.resize(threads);
        r.slots.assign(threads, 0);
        r.stacks = stacks;
        run = &r;
        for (unsigned long long b; !failed && (b = next++) < blocks;) {
            uint3 at{(unsigned) (b % grid.x), (unsigned) (b / grid.x % grid.y), (unsigned) (b / ((unsigned long long) grid.x * grid.y))};
            if (!run_block(r, at, grid, block)) {
                std::lock_guard<std::mutex> g(failure);
                if (!failed) {
                    error = r.error;
                    failedAt = at;
                    failed = true;
                }
                break;
            }
        }
        run = nullptr;
        now = nullptr;
    });
    if (!failed) return SUCCESS;
    std::fprintf(stderr, "cpu-driver: %s, block (%u, %u, %u): %s\n", name.c_str(), failedAt.x, failedAt.y, failedAt.z, error.c_str());
    return LAUNCH_FAILED;
}

} // namespace

extern "C" {

int cuInit(unsigned) { return SUCCESS; }
int cuDriverGetVersion(int* v) { *v = 13000; return SUCCESS; }
int cuDeviceGetCount(int* n) { *n = 1; return SUCCESS; }
int cuDeviceGet(int* d, int ordinal) {
    if (ordinal != 0) return INVALID_VALUE;
    *d = 0;
    return SUCCESS;
}
int cuDeviceGetName(char* s, int len, int) {
    std::snprintf(s, len, "%s", "CUDA on the CPU (cuda-kernels/tools/cpu-driver)");
    return SUCCESS;
}
int cuDeviceTotalMem_v2(size_t* bytes, int) { *bytes = physical_memory(); return SUCCESS; }
int cuMemGetInfo_v2(size_t* free, size_t* total) {
    std::lock_guard<std::mutex> g(lock);
    *total = physical_memory();
    *free = *total > allocated ? *total - allocated : 0;
    return SUCCESS;
}
// Attributes 75, 76: compute capability 9.0 (an H100/H200); 16: 132 multiprocessors, as an
// H200, so grids are sized as there; 10: warp size 32; anything else 1024.
int cuDeviceGetAttribute(int* v, int attribute, int) {
    *v = attribute == 75 ? 9 : attribute == 76 ? 0 : attribute == 16 ? 132 : attribute == 10 ? 32 : 1024;
    return SUCCESS;
}
int cuDevicePrimaryCtxRetain(void** c, int) { *c = reinterpret_cast<void*>(0x1000); return SUCCESS; }
int cuCtxSetCurrent(void*) { return SUCCESS; }
int cuCtxGetCurrent(void** c) { *c = reinterpret_cast<void*>(0x1000); return SUCCESS; }
int cuCtxSynchronize(void) { return SUCCESS; }
int cuStreamCreate(void** s, unsigned) { *s = reinterpret_cast<void*>(0x2000); return SUCCESS; }
int cuStreamSynchronize(void*) { return SUCCESS; }
int cuGetErrorString(int, const char** s) { *s = "an error of the CPU driver (its message is on stderr)"; return SUCCESS; }
int cuGetErrorName(int e, const char** s) {
    *s = e == INVALID_VALUE ? "CUDA_ERROR_INVALID_VALUE" : e == OUT_OF_MEMORY ? "CUDA_ERROR_OUT_OF_MEMORY" : e == NOT_FOUND ? "CUDA_ERROR_NOT_FOUND"
         : e == LAUNCH_FAILED ? "CUDA_ERROR_LAUNCH_FAILED" : "CUDA_ERROR_UNKNOWN";
    return SUCCESS;
}

int cuMemAlloc_v2(uintptr_t* p, size_t bytes) {
    if (bytes == 0) return INVALID_VALUE;
    void* m = std::aligned_alloc(256, (bytes + 255) & ~size_t(255));
    if (m == nullptr) return OUT_OF_MEMORY;
    std::memset(m, 0xFF, bytes);
    std::lock_guard<std::mutex> g(lock);
    allocations[reinterpret_cast<uintptr_t>(m)] = bytes;
    allocated += bytes;
    *p = reinterpret_cast<uintptr_t>(m);
    return SUCCESS;
}
int cuMemFree_v2(uintptr_t p) {
    std::lock_guard<std::mutex> g(lock);
    auto it = allocations.find(p);
    if (it == allocations.end()) {
        std::fprintf(stderr, "cpu-driver: cuMemFree of 0x%zx, which is not an allocation\n", (size_t) p);
        return INVALID_VALUE;
    }
    allocated -= it->second;
    allocations.erase(it);
    std::free(reinterpret_cast<void*>(p));
    return SUCCESS;
}

int cuMemcpyHtoD_v2(uintptr_t dst, const void* src, size_t bytes) { return copy(dst, reinterpret_cast<uintptr_t>(src), bytes, true, false, "cuMemcpyHtoD"); }
int cuMemcpyHtoDAsync_v2(uintptr_t dst, const void* src, size_t bytes, void*) { return cuMemcpyHtoD_v2(dst, src, bytes); }
int cuMemcpyDtoH_v2(void* dst, uintptr_t src, size_t bytes) { return copy(reinterpret_cast<uintptr_t>(dst), src, bytes, false, true, "cuMemcpyDtoH"); }
int cuMemcpyDtoHAsync_v2(void* dst, uintptr_t src, size_t bytes, void*) { return cuMemcpyDtoH_v2(dst, src, bytes); }
int cuMemcpyDtoD_v2(uintptr_t dst, uintptr_t src, size_t bytes) { return copy(dst, src, bytes, true, true, "cuMemcpyDtoD"); }
int cuMemcpyDtoDAsync_v2(uintptr_t dst, uintptr_t src, size_t bytes, void*) { return cuMemcpyDtoD_v2(dst, src, bytes); }
int cuMemsetD32_v2(uintptr_t dst, unsigned value, size_t n) { return memset32(dst, value, n); }
int cuMemsetD32Async(uintptr_t dst, unsigned value, size_t n, void*) { return memset32(dst, value, n); }

int cuModuleLoadData(void** m, const void* image) {
    std::lock_guard<std::mutex> g(lock);
    modules.emplace_back(static_cast<const char*>(image));
    *m = reinterpret_cast<void*>(modules.size());
    return SUCCESS;
}
int cuModuleLoadDataEx(void** m, const void* image, unsigned, void*, void**) { return cuModuleLoadData(m, image); }

// A kernel the module's PTX declares (".entry name(") and this library compiled.
int cuModuleGetFunction(void** f, void* module, const char* name) {
    std::lock_guard<std::mutex> g(lock);
    size_t id = reinterpret_cast<size_t>(module);
    if (id == 0 || id > modules.size()) return INVALID_HANDLE;
    if (modules[id - 1].find(std::string(".entry ") + name + "(") == std::string::npos) return NOT_FOUND;
    auto it = registry().find(name);
    if (it == registry().end()) {
        std::fprintf(stderr, "cpu-driver: the PTX declares %s, which this library was not built with (run make-cpu-driver.sh again)\n", name);
        return NOT_FOUND;
    }
    functions.emplace_back(name, it->second);
    *f = reinterpret_cast<void*>(functions.size());
    return SUCCESS;
}

int cuLaunchKernel(void* f, unsigned gx, unsigned gy, unsigned gz, unsigned bx, unsigned by, unsigned bz, unsigned shared, void*, void** params,
                   void** extra) {
    std::pair<std::string, Registered> k;
    {
        std::lock_guard<std::mutex> g(lock);
        size_t id = reinterpret_cast<size_t>(f);
        if (id == 0 || id > functions.size()) return INVALID_HANDLE;
        k = functions[id - 1];
    }
    if (gx == 0 || gy == 0 || gz == 0 || bx == 0 || by == 0 || bz == 0 || (size_t) bx * by * bz > 1024 || shared != 0 || extra != nullptr
        || (params == nullptr && k.second.arity > 0)) {
        std::fprintf(stderr, "cpu-driver: cuLaunchKernel(%s): grid (%u, %u, %u), block (%u, %u, %u), %u dynamic shared bytes: not a launch this driver runs\n",
                     k.first.c_str(), gx, gy, gz, bx, by, bz, shared);
        return INVALID_VALUE;
    }
    return launch(k.second, k.first, dim3{gx, gy, gz}, dim3{bx, by, bz}, params);
}

} // extern "C"
