// softmax.cu: y = exp(x - max) / sum(exp(x - max)) over the K features of each image.
//
// Layout: x [N][K] (xs), y [N][K] (ys).
// Threads: one block of 256 per image. Three passes over the row: max, sum of exp, write.
//          Each reduction is warp-shuffle within warps, then the 8 warp results go through shared
//          memory and warp 0 reduces them; a barrier publishes the result to the block.
// Variants: softmax_f32_block. expf (not __expf): the cost is nil at K = 1000 and accuracy is not.
#include "common.cuh"

// reduces v over the block (sum or max); every thread gets the result
template <bool MAX>
__device__ __forceinline__ float block_reduce(float v, float* red) {
    const int lane = threadIdx.x & 31, warp = threadIdx.x >> 5, nw = blockDim.x >> 5;
    v = MAX ? warp_max(v) : warp_sum(v);
    if (lane == 0) red[warp] = v;
    __syncthreads();
    if (warp == 0) {
        float t = lane < nw ? red[lane] : (MAX ? -INFINITY : 0.f);
        t = MAX ? warp_max(t) : warp_sum(t);
        if (lane == 0) red[32] = t;
    }
    __syncthreads();
    const float r = red[32];
    __syncthreads(); // red is reused by the next reduction
    return r;
}

extern "C" __global__ void __launch_bounds__(256) softmax_f32_block(const float* __restrict__ x, i64 xs,
                                                                    float* __restrict__ y, i64 ys, int K) {
    __shared__ float red[33];
    const float* xr = x + blockIdx.x * xs;
    float* yr = y + blockIdx.x * ys;
    float m = -INFINITY;
    for (int i = threadIdx.x; i < K; i += blockDim.x) m = fmaxf(m, xr[i]);
    m = block_reduce<true>(m, red);
    float s = 0.f;
    for (int i = threadIdx.x; i < K; i += blockDim.x) s += expf(xr[i] - m);
    s = block_reduce<false>(s, red);
    const float inv = 1.f / s;
    for (int i = threadIdx.x; i < K; i += blockDim.x) yr[i] = expf(xr[i] - m) * inv;
}
JCNN_KERNEL(softmax_f32_block, SYNC)
