// pool.cu: max pooling (floor or ceil mode: the host computes OH/OW), average pooling with
// jcnn.ops.AvgPool's divisor rule, global average pooling.
//
// Layout: x [N][C][H][W] (xs), y [N][C][OH][OW] (ys); global: y [N][C] (ys, usually C).
// Threads: max/avg: one per output element; grid = (ceil(OH*OW / 256), C, N), block 256.
//          global: one warp per (n, c) plane, lanes stride the plane, warp-shuffle sum;
//          grid = (ceil(C / 8), N), block 256 (8 warps). A warp whose channel is past C exits whole.
// Variants: pool_f32_max, pool_f32_avg, pool_f32_global_avg.
// Max is bit-exact (padding never wins; every window holds at least one real element).
#include "common.cuh"

template <typename T>
__device__ __forceinline__ void max_body(const T* __restrict__ x, i64 xs, T* __restrict__ y, i64 ys,
                                         int H, int W, int OH, int OW, int k, int s, int pad) {
    const int p = blockIdx.x * blockDim.x + threadIdx.x;
    if (p >= OH * OW) return;
    const int c = blockIdx.y, n = blockIdx.z;
    const int oy = p / OW, ox = p - oy * OW;
    const int y0 = oy * s - pad, x0 = ox * s - pad;
    const int ys0 = max(y0, 0), ye = min(y0 + k, H), xs0 = max(x0, 0), xe = min(x0 + k, W);
    const T* xc = x + n * xs + (i64)c * H * W;
    float m = -INFINITY;
    for (int iy = ys0; iy < ye; iy++)
        for (int ix = xs0; ix < xe; ix++) {
            const float v = to_acc(__ldg(xc + iy * W + ix));
            m = v > m ? v : m;
        }
    y[n * ys + (i64)c * OH * OW + p] = from_acc<T>(m);
}

template <typename T>
__device__ __forceinline__ void avg_body(const T* __restrict__ x, i64 xs, T* __restrict__ y, i64 ys,
                                         int H, int W, int OH, int OW, int k, int s, int pad, int countPad) {
    const int p = blockIdx.x * blockDim.x + threadIdx.x;
    if (p >= OH * OW) return;
    const int c = blockIdx.y, n = blockIdx.z;
    const int oy = p / OW, ox = p - oy * OW;
    const int y0 = oy * s - pad, x0 = ox * s - pad;
    const int ys0 = max(y0, 0), ye = min(y0 + k, H), xs0 = max(x0, 0), xe = min(x0 + k, W);
    const T* xc = x + n * xs + (i64)c * H * W;
    float sum = 0.f;
    for (int iy = ys0; iy < ye; iy++)
        for (int ix = xs0; ix < xe; ix++) sum += to_acc(__ldg(xc + iy * W + ix));
    // AvgPool.divisor: with countPad the window is clipped to [-pad, size+pad), else to the input
    const int div = countPad ? (min(y0 + k, H + pad) - y0) * (min(x0 + k, W + pad) - x0)
                             : (ye - ys0) * (xe - xs0);
    y[n * ys + (i64)c * OH * OW + p] = from_acc<T>(sum / (float)div);
}

template <typename T>
__device__ __forceinline__ void global_avg_body(const T* __restrict__ x, i64 xs, T* __restrict__ y, i64 ys,
                                                int C, int HW) {
    const int lane = threadIdx.x & 31;
    const int c = blockIdx.x * (blockDim.x >> 5) + (threadIdx.x >> 5), n = blockIdx.y;
    if (c >= C) return; // the whole warp leaves together, so the shuffles below stay full-warp
    const T* xc = x + n * xs + (i64)c * HW;
    float sum = 0.f;
    for (int i = lane; i < HW; i += 32) sum += to_acc(__ldg(xc + i));
    sum = warp_sum(sum);
    if (lane == 0) y[n * ys + c] = from_acc<T>(sum / (float)HW);
}

extern "C" __global__ void __launch_bounds__(256) pool_f32_max(const float* __restrict__ x, i64 xs, float* __restrict__ y,
                                                               i64 ys, int C, int H, int W, int OH, int OW, int k,
                                                               int stride, int pad) {
    max_body<float>(x, xs, y, ys, H, W, OH, OW, k, stride, pad);
}
JCNN_KERNEL(pool_f32_max, NOSYNC)

extern "C" __global__ void __launch_bounds__(256) pool_f32_avg(const float* __restrict__ x, i64 xs, float* __restrict__ y,
                                                               i64 ys, int C, int H, int W, int OH, int OW, int k,
                                                               int stride, int pad, int countPad) {
    avg_body<float>(x, xs, y, ys, H, W, OH, OW, k, stride, pad, countPad);
}
JCNN_KERNEL(pool_f32_avg, NOSYNC)

extern "C" __global__ void __launch_bounds__(256) pool_f32_global_avg(const float* __restrict__ x, i64 xs,
                                                                      float* __restrict__ y, i64 ys, int C, int HW) {
    global_avg_body<float>(x, xs, y, ys, C, HW);
}
JCNN_KERNEL(pool_f32_global_avg, SYNC)
