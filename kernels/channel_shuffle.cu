// channel_shuffle.cu: y[:, j] = x[:, (j mod g) * (C/g) + j / g] (ShuffleNet's convention, as
// jcnn.ops.ChannelShuffle). A pure data mover: results are bit-exact.
//
// Layout: x [N][C][H][W] (xs), y same shape (ys); x and y must not overlap.
// Threads: one per element; grid = (ceil(H*W / 256), C, N), block = 256; blockIdx.y is the output
//          channel, so each block copies one contiguous source plane into one destination plane.
// Variants: channel_shuffle_f32_nchw.
#include "common.cuh"

template <typename T>
__device__ __forceinline__ void shuffle_body(const T* __restrict__ x, i64 xs, T* __restrict__ y, i64 ys,
                                             int C, int HW, int groups) {
    const int p = blockIdx.x * blockDim.x + threadIdx.x;
    if (p >= HW) return;
    const int j = blockIdx.y, n = blockIdx.z;
    const int src = (j % groups) * (C / groups) + j / groups;
    y[n * ys + (i64)j * HW + p] = x[n * xs + (i64)src * HW + p];
}

extern "C" __global__ void __launch_bounds__(256) channel_shuffle_f32_nchw(const float* __restrict__ x, i64 xs,
                                                                           float* __restrict__ y, i64 ys,
                                                                           int C, int HW, int groups) {
    shuffle_body<float>(x, xs, y, ys, C, HW, groups);
}
JCNN_KERNEL(channel_shuffle_f32_nchw, NOSYNC)
