// cuda_emu.hpp: just enough of CUDA's device-side language for g++ to compile kernels/*.cu
// unchanged, with the semantics that matter for correctness:
//   - a block's threads run concurrently (one OS thread each, from a pool), so __syncthreads is a
//     real barrier and a missing one gives a wrong result, as on a GPU;
//   - warp shuffles and votes exchange values among the live lanes of a warp at the call
//     (the lanes meet at the shuffle);
//   - __shared__ is one copy per kernel (blocks run one after another, launches are serialised);
//   - kernels registered NOSYNC run their threads as a plain loop (far faster); if such a kernel
//     ever reaches a barrier or a shuffle the launch fails loudly instead of computing garbage.
// Threads (not ucontext fibers): same cost here and ASan supports them fully (DESIGN.md).
#pragma once
#include <cmath>
#include <math.h>
#include <cstdint>
#include <cstring>
#include <type_traits>
#include <utility>
#include <atomic>

// ---- qualifiers -------------------------------------------------------------------------------
#define __global__
#define __device__
#define __host__
#define __forceinline__ inline __attribute__((always_inline))
#define __launch_bounds__(...)
#define __shared__ static
#define __constant__ static
// dynamic shared memory: CUDA spells it `extern __shared__ T name[];`, which g++ cannot take with
// __shared__ = static, so kernels use JCNN_DYNAMIC_SHARED (common.cuh) that maps here.
#define EMU_DYNAMIC_SHARED(T, name) T* name = reinterpret_cast<T*>(emu::dynamic_shared())

struct dim3 {
    unsigned x, y, z;
    constexpr dim3(unsigned x_ = 1, unsigned y_ = 1, unsigned z_ = 1) : x(x_), y(y_), z(z_) {}
};
struct uint3 { unsigned x, y, z; };
struct alignas(8) float2 { float x, y; };
struct alignas(16) float4 { float x, y, z, w; };
inline float2 make_float2(float x, float y) { return {x, y}; }
inline float4 make_float4(float x, float y, float z, float w) { return {x, y, z, w}; }

namespace emu {
struct ThreadCtx {
    uint3 tIdx{0, 0, 0};
    uint3 bIdx{0, 0, 0};
    dim3 bDim, gDim;
    unsigned linear = 0;   // linear thread index in the block
    bool loopMode = false; // running as a plain loop (NOSYNC kernel)
};
extern thread_local ThreadCtx ctx;

void* dynamic_shared();
void syncthreads();
void syncwarp(unsigned mask);
// raw 64-bit exchange among the lanes of the caller's warp: lane L publishes v, reads lane src(L)
uint64_t warp_exchange(unsigned mask, uint64_t v, int srcLane);
unsigned warp_ballot(unsigned mask, int pred);
[[noreturn]] void trap(const char* why);

// kernel registry: the thunk rebuilds the typed call from cuLaunchKernel's void** convention
using Thunk = void (*)(void* fn, void** args);
using ArgCheck = int (*)(void** args); // index of the first pointer argument outside device memory, or -1
struct Registrar { Registrar(const char* name, void* fn, Thunk thunk, ArgCheck check, bool nosync); };
bool pointer_ok(const void* p); // null or inside a live emu_malloc allocation

template <class... A, size_t... I>
inline void call_with(void (*f)(A...), void** args, std::index_sequence<I...>) {
    f(*static_cast<std::remove_reference_t<A>*>(args[I])...);
}
template <class... A>
struct ThunkOf {
    static void run(void* fn, void** args) {
        call_with(reinterpret_cast<void (*)(A...)>(fn), args, std::index_sequence_for<A...>{});
    }
};
template <class A>
inline bool arg_ok(void* slot) {
    if constexpr (std::is_pointer_v<A>) return pointer_ok(*static_cast<const void* const*>(slot));
    else return true;
}
template <class... A, size_t... I>
inline int first_bad_arg(void** args, std::index_sequence<I...>) {
    int bad = -1;
    ((bad < 0 && !arg_ok<A>(args[I]) ? (bad = int(I), 0) : 0), ...);
    return bad;
}
template <class... A>
struct CheckOf {
    static int run(void** args) { return first_bad_arg<A...>(args, std::index_sequence_for<A...>{}); }
};
template <class... A>
inline Registrar make_registrar(const char* name, void (*f)(A...), bool nosync) {
    return Registrar(name, reinterpret_cast<void*>(f), &ThunkOf<A...>::run, &CheckOf<A...>::run, nosync);
}
} // namespace emu

#define EMU_REGISTER(name, nosync) \
    static emu::Registrar emu_reg_##name = emu::make_registrar(#name, &name, nosync);

#define threadIdx (emu::ctx.tIdx)
#define blockIdx (emu::ctx.bIdx)
#define blockDim (emu::ctx.bDim)
#define gridDim (emu::ctx.gDim)
static constexpr int warpSize = 32;

inline void __syncthreads() { emu::syncthreads(); }
inline void __syncwarp(unsigned mask = 0xffffffffu) { emu::syncwarp(mask); }
[[noreturn]] inline void __trap() { emu::trap("__trap() called"); }

// ---- warp shuffles and votes ------------------------------------------------------------------
template <class T>
inline T emu_shfl_raw(unsigned mask, T v, int src) {
    static_assert(sizeof(T) <= 8 && std::is_trivially_copyable_v<T>, "shuffle of a type over 8 bytes");
    uint64_t raw = 0;
    std::memcpy(&raw, &v, sizeof(T));
    raw = emu::warp_exchange(mask, raw, src);
    T r;
    std::memcpy(&r, &raw, sizeof(T));
    return r;
}
inline int emu_lane() { return int(emu::ctx.linear & 31u); }
template <class T> inline T __shfl_sync(unsigned m, T v, int src, int width = 32) {
    int lane = emu_lane();
    return emu_shfl_raw(m, v, (lane & ~(width - 1)) + (src & (width - 1)));
}
template <class T> inline T __shfl_down_sync(unsigned m, T v, unsigned d, int width = 32) {
    int lane = emu_lane(), inSeg = lane & (width - 1);
    return emu_shfl_raw(m, v, inSeg + int(d) < width ? lane + int(d) : lane);
}
template <class T> inline T __shfl_up_sync(unsigned m, T v, unsigned d, int width = 32) {
    int lane = emu_lane(), inSeg = lane & (width - 1);
    return emu_shfl_raw(m, v, inSeg >= int(d) ? lane - int(d) : lane);
}
template <class T> inline T __shfl_xor_sync(unsigned m, T v, int x, int width = 32) {
    int lane = emu_lane(), src = lane ^ x;
    return emu_shfl_raw(m, v, (src & ~(width - 1)) == (lane & ~(width - 1)) ? src : lane);
}
inline unsigned __ballot_sync(unsigned m, int p) { return emu::warp_ballot(m, p); }
inline int __all_sync(unsigned m, int p) { return emu::warp_ballot(m, !p) == 0; }
inline int __any_sync(unsigned m, int p) { return emu::warp_ballot(m, p) != 0; }
inline unsigned __activemask() { return emu::warp_ballot(0xffffffffu, 1); }

// ---- atomics (device memory is host memory here) -----------------------------------------------
template <class T> inline T atomicAdd(T* p, T v) { return std::atomic_ref<T>(*p).fetch_add(v); }
template <class T> inline T atomicExch(T* p, T v) { return std::atomic_ref<T>(*p).exchange(v); }
template <class T> inline T atomicCAS(T* p, T cmp, T v) {
    std::atomic_ref<T>(*p).compare_exchange_strong(cmp, v);
    return cmp;
}
template <class T> inline T atomicMax(T* p, T v) {
    std::atomic_ref<T> a(*p);
    T old = a.load();
    while (old < v && !a.compare_exchange_weak(old, v)) {}
    return old;
}
template <class T> inline T atomicMin(T* p, T v) {
    std::atomic_ref<T> a(*p);
    T old = a.load();
    while (old > v && !a.compare_exchange_weak(old, v)) {}
    return old;
}

// ---- math intrinsics --------------------------------------------------------------------------
inline float __expf(float x) { return std::exp(x); }
inline float __logf(float x) { return std::log(x); }
inline float __fdividef(float a, float b) { return a / b; }
inline float __fmaf_rn(float a, float b, float c) { return std::fma(a, b, c); }
inline float __fadd_rn(float a, float b) { return a + b; }
inline float __fmul_rn(float a, float b) { return a * b; }
inline float rsqrtf(float x) { return 1.0f / std::sqrt(x); }
inline float __saturatef(float x) { return x < 0.f ? 0.f : (x > 1.f ? 1.f : x); }
inline int __float2int_rn(float x) { return int(std::nearbyint(x)); }
inline int __float_as_int(float x) { int i; std::memcpy(&i, &x, 4); return i; }
inline float __int_as_float(int i) { float x; std::memcpy(&x, &i, 4); return x; }
// expf, fmaxf, sqrtf, fabsf, fmaf ...: the C library's global float functions (math.h)
inline int min(int a, int b) { return a < b ? a : b; }
inline int max(int a, int b) { return a > b ? a : b; }
inline unsigned min(unsigned a, unsigned b) { return a < b ? a : b; }
inline unsigned max(unsigned a, unsigned b) { return a > b ? a : b; }
inline long long min(long long a, long long b) { return a < b ? a : b; }
inline long long max(long long a, long long b) { return a > b ? a : b; }
template <class T> inline T __ldg(const T* p) { return *p; }
