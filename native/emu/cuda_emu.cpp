// cuda_emu.cpp: the emulator's runtime. Blocks of a grid run one after another; the threads of a
// block are OS threads from a persistent pool that meet at std::barrier (block) and a per-warp
// std::barrier (shuffles, votes). Kernels registered NOSYNC run as a loop on the caller's thread.
// "Device" memory is malloc'd host memory with guard zones (or, under ASan, ASan's own redzones).
#include "cuda_emu.hpp"
#include "emu_api.h"

#include <barrier>
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <memory>
#include <mutex>
#include <pthread.h>
#include <semaphore>
#include <string>
#include <unordered_map>
#include <vector>

#if defined(__SANITIZE_ADDRESS__)
static constexpr size_t GUARD = 0; // ASan's redzones sit right at the ends of each malloc
#else
static constexpr size_t GUARD = 512; // bytes of pattern before and after every buffer
#endif
static constexpr unsigned char GUARD_BYTE = 0xCB;

namespace emu {
thread_local ThreadCtx ctx;

struct TrapEx { std::string why; };

struct Kernel {
    std::string name;
    void* fn;
    Thunk thunk;
    ArgCheck check;
    bool nosync;
};
static std::unordered_map<std::string, Kernel*>& registry() {
    static std::unordered_map<std::string, Kernel*> r; // function-local: safe across static init order
    return r;
}
Registrar::Registrar(const char* name, void* fn, Thunk thunk, ArgCheck check, bool nosync) {
    registry()[name] = new Kernel{name, fn, thunk, check, nosync};
}

// ---- state of the launch in flight (launches are serialised by launchMutex) ---------------------
struct Warp {
    std::unique_ptr<std::barrier<>> bar;
    uint64_t slot[32];
    std::atomic<unsigned> live{0};
    unsigned size = 0;
};
struct Block {
    Kernel* k = nullptr;
    void** args = nullptr;
    unsigned threads = 0;
    std::unique_ptr<std::barrier<>> bar;
    std::vector<Warp> warps;
    std::mutex m;
    std::condition_variable cv;
    unsigned finished = 0;
    std::string trap; // first trap message of this block
};
static Block* cur = nullptr;
static void* dynShared = nullptr;
static std::mutex launchMutex;
static std::string lastError;

void* dynamic_shared() { return dynShared; }

[[noreturn]] void trap(const char* why) { throw TrapEx{why}; }

void syncthreads() {
    if (ctx.loopMode) trap("__syncthreads in a kernel registered NOSYNC (register it SYNC)");
    cur->bar->arrive_and_wait();
}

static Warp& my_warp() {
    if (ctx.loopMode) trap("warp shuffle/vote/syncwarp in a kernel registered NOSYNC (register it SYNC)");
    return cur->warps[ctx.linear / 32];
}

void syncwarp(unsigned mask) {
    Warp& w = my_warp();
    if (!(mask >> (ctx.linear & 31) & 1u)) trap("__syncwarp mask excludes the calling lane");
    w.bar->arrive_and_wait();
}

uint64_t warp_exchange(unsigned mask, uint64_t v, int src) {
    Warp& w = my_warp();
    unsigned lane = ctx.linear & 31;
    if (!(mask >> lane & 1u)) trap("shuffle mask excludes the calling lane");
    w.slot[lane] = v;
    w.bar->arrive_and_wait(); // every live lane has published
    uint64_t r = (src >= 0 && unsigned(src) < w.size) ? w.slot[src] : v;
    w.bar->arrive_and_wait(); // every lane has read before anyone publishes again
    return r;
}

unsigned warp_ballot(unsigned mask, int pred) {
    Warp& w = my_warp();
    unsigned lane = ctx.linear & 31;
    if (!(mask >> lane & 1u)) trap("vote mask excludes the calling lane");
    w.slot[lane] = pred ? 1 : 0;
    w.bar->arrive_and_wait();
    unsigned live = w.live.load(), bits = 0;
    for (unsigned l = 0; l < w.size; l++)
        if ((live >> l & 1u) && (mask >> l & 1u) && w.slot[l]) bits |= 1u << l;
    w.bar->arrive_and_wait();
    return bits;
}

static void set_ctx(unsigned t, const dim3& block, const uint3& bidx, const dim3& grid, bool loop) {
    ctx.tIdx = {t % block.x, (t / block.x) % block.y, t / (block.x * block.y)};
    ctx.bIdx = bidx;
    ctx.bDim = block;
    ctx.gDim = grid;
    ctx.linear = t;
    ctx.loopMode = loop;
}

// ---- the thread pool ------------------------------------------------------------------------------
struct Worker {
    pthread_t th;
    std::binary_semaphore go{0};
    unsigned tid = 0;
    dim3 block, grid;
    uint3 bidx;
};
static std::vector<Worker*> pool;

static void* worker_main(void* p) {
    Worker* me = static_cast<Worker*>(p);
    for (;;) {
        me->go.acquire();
        Block* b = cur;
        set_ctx(me->tid, me->block, me->bidx, me->grid, false);
        try {
            b->k->thunk(b->k->fn, b->args);
        } catch (const TrapEx& e) {
            std::lock_guard<std::mutex> g(b->m);
            if (b->trap.empty()) b->trap = e.why;
        }
        // an exited thread no longer takes part in barriers, as on the GPU
        Warp& w = b->warps[me->tid / 32];
        w.live.fetch_and(~(1u << (me->tid & 31)));
        w.bar->arrive_and_drop();
        b->bar->arrive_and_drop();
        {
            std::lock_guard<std::mutex> g(b->m);
            if (++b->finished == b->threads) b->cv.notify_one();
        }
    }
    return nullptr;
}

static void grow_pool(unsigned n) {
    while (pool.size() < n) {
        Worker* w = new Worker();
        pthread_attr_t a;
        pthread_attr_init(&a);
        pthread_attr_setstacksize(&a, 1u << 20); // kernels keep little on the stack
        if (pthread_create(&w->th, &a, worker_main, w) != 0) { fprintf(stderr, "emu: pthread_create failed\n"); abort(); }
        pthread_attr_destroy(&a);
        pthread_detach(w->th);
        pool.push_back(w);
    }
}

// runs one block with real threads; returns the trap message or ""
static std::string run_block_threads(Kernel* k, void** args, const dim3& grid, const dim3& block, const uint3& bidx) {
    unsigned T = block.x * block.y * block.z;
    Block b;
    b.k = k;
    b.args = args;
    b.threads = T;
    b.bar = std::make_unique<std::barrier<>>(T);
    b.warps = std::vector<Warp>((T + 31) / 32);
    for (unsigned i = 0; i < b.warps.size(); i++) {
        Warp& w = b.warps[i];
        w.size = std::min(32u, T - 32 * i);
        w.bar = std::make_unique<std::barrier<>>(w.size);
        w.live = w.size == 32 ? 0xffffffffu : (1u << w.size) - 1;
    }
    cur = &b;
    // threads start in index order on even blocks and in reverse on odd ones, so a missing barrier
    // shows whichever direction the unsynchronised data flows
    const bool reverse = (bidx.x + bidx.y + bidx.z) & 1u;
    for (unsigned i = 0; i < T; i++) {
        const unsigned t = reverse ? T - 1 - i : i;
        Worker* w = pool[t];
        w->tid = t;
        w->block = block;
        w->grid = grid;
        w->bidx = bidx;
        w->go.release();
    }
    std::unique_lock<std::mutex> g(b.m);
    if (!b.cv.wait_for(g, std::chrono::seconds(120), [&] { return b.finished == T; })) {
        // threads wait forever at a barrier some never reach: nothing can unwind them
        fprintf(stderr, "emu: kernel %s block (%u,%u,%u) deadlocked (a __syncthreads or shuffle not reached by every live thread)\n",
                k->name.c_str(), bidx.x, bidx.y, bidx.z);
        abort();
    }
    cur = nullptr;
    return b.trap;
}

// ---- device memory --------------------------------------------------------------------------------
static std::mutex memMutex;
static std::map<uintptr_t, size_t> allocs; // user pointer -> user size

static bool in_allocation(uintptr_t p, size_t bytes) {
    auto it = allocs.upper_bound(p);
    if (it == allocs.begin()) return false;
    --it;
    return p >= it->first && p + bytes <= it->first + it->second;
}

bool pointer_ok(const void* p) {
    if (!p) return true;
    std::lock_guard<std::mutex> g(memMutex);
    return in_allocation(reinterpret_cast<uintptr_t>(p), 0);
}

// returns "" or a message naming the first buffer whose guard zone was overwritten
static std::string check_guards() {
    if (GUARD == 0) return "";
    std::lock_guard<std::mutex> g(memMutex);
    for (auto& [p, n] : allocs) {
        const unsigned char* lo = reinterpret_cast<const unsigned char*>(p) - GUARD;
        const unsigned char* hi = reinterpret_cast<const unsigned char*>(p) + n;
        for (size_t i = 0; i < GUARD; i++) {
            if (lo[i] != GUARD_BYTE || hi[i] != GUARD_BYTE) {
                char buf[200];
                snprintf(buf, sizeof buf, "out-of-bounds write: guard zone of device buffer %p (%zu bytes) overwritten %s it",
                         reinterpret_cast<void*>(p), n, lo[i] != GUARD_BYTE ? "before" : "after");
                memset(const_cast<unsigned char*>(lo), GUARD_BYTE, GUARD); // re-arm so one bug is reported once
                memset(const_cast<unsigned char*>(hi), GUARD_BYTE, GUARD);
                return buf;
            }
        }
    }
    return "";
}
} // namespace emu

using namespace emu;

// ---- the exported C API -----------------------------------------------------------------------------
extern "C" {

const char* emu_last_error(void) { return lastError.c_str(); }

void* emu_function(const char* name) {
    auto it = registry().find(name ? name : "");
    if (it == registry().end()) {
        lastError = std::string("unknown kernel name: ") + (name ? name : "(null)");
        return nullptr;
    }
    return it->second;
}

int emu_function_count(void) { return int(registry().size()); }

int emu_launch(void* f, unsigned gx, unsigned gy, unsigned gz, unsigned bx, unsigned by, unsigned bz,
               unsigned sharedBytes, void** args) {
    std::lock_guard<std::mutex> lock(launchMutex);
    Kernel* k = static_cast<Kernel*>(f);
    bool known = false;
    for (auto& kv : registry()) known |= kv.second == k;
    if (!known) { lastError = "emu_launch: not a kernel handle from emu_function"; return 1; }
    unsigned long long T = 1ull * bx * by * bz;
    if (gx == 0 || gy == 0 || gz == 0 || gy > 65535 || gz > 65535 || gx > 0x7fffffffu || T == 0 || T > 1024 ||
        bx > 1024 || by > 1024 || bz > 64) {
        char buf[220];
        snprintf(buf, sizeof buf, "%s: bad launch configuration grid (%u,%u,%u) block (%u,%u,%u)", k->name.c_str(), gx, gy, gz, bx, by, bz);
        lastError = buf;
        return 2;
    }
    if (sharedBytes > 48 * 1024) {
        lastError = k->name + ": dynamic shared memory " + std::to_string(sharedBytes) + " bytes exceeds the 48 KiB default limit";
        return 2;
    }
    if (!args && k->check != nullptr) { lastError = k->name + ": args is NULL"; return 2; }
    if (int bad = k->check(args); bad >= 0) {
        lastError = k->name + ": argument " + std::to_string(bad) + " is a pointer outside every device allocation";
        return 2;
    }
    void* shm = sharedBytes ? std::malloc(sharedBytes) : nullptr;
    if (shm) memset(shm, 0xFF, sharedBytes); // garbage (NaN) like real shared memory, never zeros
    dynShared = shm;
    dim3 grid(gx, gy, gz), block(bx, by, bz);
    std::string err;
    if (!k->nosync) grow_pool(unsigned(T));
    for (unsigned z = 0; z < gz && err.empty(); z++)
        for (unsigned y = 0; y < gy && err.empty(); y++)
            for (unsigned x = 0; x < gx && err.empty(); x++) {
                uint3 bidx{x, y, z};
                if (k->nosync) {
                    try {
                        for (unsigned t = 0; t < T; t++) {
                            set_ctx(t, block, bidx, grid, true);
                            k->thunk(k->fn, args);
                        }
                    } catch (const TrapEx& e) { err = e.why; }
                } else {
                    err = run_block_threads(k, args, grid, block, bidx);
                }
            }
    dynShared = nullptr;
    std::free(shm);
    if (err.empty()) err = check_guards();
    if (!err.empty()) {
        lastError = k->name + ": " + err;
        return 3;
    }
    return 0;
}

void* emu_malloc(size_t bytes) {
    if (bytes == 0) bytes = 1;
    unsigned char* raw = static_cast<unsigned char*>(std::malloc(bytes + 2 * GUARD));
    if (!raw) { lastError = "emu_malloc: out of memory for " + std::to_string(bytes) + " bytes"; return nullptr; }
    memset(raw, GUARD_BYTE, GUARD);
    memset(raw + GUARD, 0xFF, bytes); // uninitialised device memory reads as NaN, never as zero
    memset(raw + GUARD + bytes, GUARD_BYTE, GUARD);
    std::lock_guard<std::mutex> g(memMutex);
    allocs[reinterpret_cast<uintptr_t>(raw + GUARD)] = bytes;
    return raw + GUARD;
}

int emu_free(void* p) {
    if (!p) return 0;
    std::lock_guard<std::mutex> g(memMutex);
    auto it = allocs.find(reinterpret_cast<uintptr_t>(p));
    if (it == allocs.end()) { lastError = "emu_free: not a device pointer"; return 1; }
    allocs.erase(it);
    std::free(static_cast<unsigned char*>(p) - GUARD);
    return 0;
}

static int range_ok(const void* dev, size_t bytes, const char* what) {
    std::lock_guard<std::mutex> g(memMutex);
    if (in_allocation(reinterpret_cast<uintptr_t>(dev), bytes)) return 1;
    char buf[200];
    snprintf(buf, sizeof buf, "%s: [%p, +%zu bytes) is not inside one device allocation", what, dev, bytes);
    lastError = buf;
    return 0;
}

int emu_memcpy_htod(void* dst, const void* src, size_t bytes) {
    if (!range_ok(dst, bytes, "emu_memcpy_htod")) return 1;
    memcpy(dst, src, bytes);
    return 0;
}

int emu_memcpy_dtoh(void* dst, const void* src, size_t bytes) {
    if (!range_ok(src, bytes, "emu_memcpy_dtoh")) return 1;
    memcpy(dst, src, bytes);
    return 0;
}

int emu_memcpy_dtod(void* dst, const void* src, size_t bytes) {
    if (!range_ok(src, bytes, "emu_memcpy_dtod source") || !range_ok(dst, bytes, "emu_memcpy_dtod destination")) return 1;
    memmove(dst, src, bytes);
    return 0;
}

int emu_memset(void* dst, int value, size_t bytes) {
    if (!range_ok(dst, bytes, "emu_memset")) return 1;
    memset(dst, value, bytes);
    return 0;
}

int emu_is_asan(void) { return GUARD == 0; }
}
