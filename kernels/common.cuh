// common.cuh: what every kernel file shares.
//
// Conventions of all kernels in this folder:
//   - tensors are NCHW float32; every activation pointer comes with its batch stride in elements
//     (`xs` for x ...), which exceeds C*H*W when the tensor is a channel slice of a larger buffer
//     (DenseNet's in-place concat, ShuffleNet's split). Within an image, channel stride = H*W.
//   - batch offsets are 64-bit (n * stride can pass 2^31 for big batches), in-image indices int.
//   - optional inputs (bias, residual, prologue scale/shift) are nullptr when absent.
//   - exported names follow `<stem>_f32_<variant>`; the body is a template on the element type
//     so fp16/bf16 variants can join as more explicit instantiations behind new extern "C" names.
//   - JCNN_KERNEL(name, SYNC|NOSYNC) after each extern "C" kernel: nothing for nvcc; for the
//     emulator it registers the kernel, generating the void** -> typed-parameters thunk from the
//     kernel's own signature. NOSYNC promises no __syncthreads/shuffle/vote (the emulator runs it
//     as a loop and fails the launch if the promise is broken).
#pragma once

#if defined(JCNN_EMU)
#include "cuda_emu.hpp"
#define JCNN_KERNEL(name, mode) EMU_REGISTER(name, JCNN_##mode)
#define JCNN_SYNC false
#define JCNN_NOSYNC true
#define JCNN_DYNAMIC_SHARED(T, name) EMU_DYNAMIC_SHARED(T, name)
#else
#define JCNN_KERNEL(name, mode)
#define JCNN_DYNAMIC_SHARED(T, name) extern __shared__ T name[]
#endif

typedef long long i64;

// activation codes: the ordinal of jcnn.ops.Activation
enum : int { ACT_NONE = 0, ACT_RELU = 1, ACT_RELU6 = 2 };

__device__ __forceinline__ float apply_act(float v, int act) {
    // written as comparisons, not fmaxf, so NaN propagates exactly as jcnn.ops.Activation does
    if (act == ACT_RELU) return v > 0.f ? v : 0.f;
    if (act == ACT_RELU6) return v > 0.f ? (v < 6.f ? v : 6.f) : 0.f;
    return v;
}

// element type <-> float32 accumulator; fp16/bf16 add overloads here
__device__ __forceinline__ float to_acc(float v) { return v; }
template <typename T> __device__ __forceinline__ T from_acc(float v);
template <> __device__ __forceinline__ float from_acc<float>(float v) { return v; }

__device__ __forceinline__ float warp_sum(float v) {
    for (int o = 16; o > 0; o >>= 1) v += __shfl_xor_sync(0xffffffffu, v, o);
    return v;
}

__device__ __forceinline__ float warp_max(float v) {
    for (int o = 16; o > 0; o >>= 1) v = fmaxf(v, __shfl_xor_sync(0xffffffffu, v, o));
    return v;
}
