// linear.cu: fully connected layer y[n][o] = sum_i x[n][i] * w[o][i] + bias[o], a GEMV per image
// (batch 1 is the case that matters; batch N is N GEMVs).
//
// Layout: x [N][IN] (xs: an NCHW tensor flattened, or a slice), w [OUT][IN] row-major, bias [OUT],
//         y [N][OUT] (ys).
// Threads: one warp per output feature: lanes stride along the weight row (coalesced; float4 when
//          IN % 4 == 0 and both rows are 16-byte aligned), then a warp-shuffle sum.
//          grid = (ceil(OUT / 8), N), block = 256 (8 warps). Warps past OUT exit whole.
// Variants: linear_f32_gemv.
#include "common.cuh"

template <typename T>
__device__ __forceinline__ float dot_strided(const T* __restrict__ a, const T* __restrict__ b, int len, int lane) {
    float s = 0.f;
    for (int i = lane; i < len; i += 32) s = __fmaf_rn(to_acc(__ldg(a + i)), to_acc(__ldg(b + i)), s);
    return s;
}

__device__ __forceinline__ float dot_f32(const float* __restrict__ a, const float* __restrict__ b, int len, int lane) {
    if ((len & 3) == 0 && ((reinterpret_cast<unsigned long long>(a) | reinterpret_cast<unsigned long long>(b)) & 15) == 0) {
        const float4* a4 = reinterpret_cast<const float4*>(a);
        const float4* b4 = reinterpret_cast<const float4*>(b);
        float s = 0.f;
        for (int i = lane; i < (len >> 2); i += 32) {
            const float4 u = __ldg(a4 + i), v = __ldg(b4 + i);
            s = __fmaf_rn(u.x, v.x, s);
            s = __fmaf_rn(u.y, v.y, s);
            s = __fmaf_rn(u.z, v.z, s);
            s = __fmaf_rn(u.w, v.w, s);
        }
        return s;
    }
    return dot_strided<float>(a, b, len, lane);
}

extern "C" __global__ void __launch_bounds__(256) linear_f32_gemv(const float* __restrict__ x, i64 xs,
                                                                  const float* __restrict__ w,
                                                                  const float* __restrict__ bias,
                                                                  float* __restrict__ y, i64 ys, int IN, int OUT) {
    const int lane = threadIdx.x & 31;
    const int o = blockIdx.x * (blockDim.x >> 5) + (threadIdx.x >> 5), n = blockIdx.y;
    if (o >= OUT) return;
    float s = warp_sum(dot_f32(x + n * xs, w + (i64)o * IN, IN, lane));
    if (lane == 0) y[n * ys + o] = s + (bias ? bias[o] : 0.f);
}
JCNN_KERNEL(linear_f32_gemv, SYNC)
