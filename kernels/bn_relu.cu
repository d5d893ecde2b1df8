// bn_relu.cu: per-channel affine + activation, y = act(x*scale[c] + shift[c]): a BatchNorm that
// follows no conv (DenseNet transitions and head) after its statistics are folded into scale/shift.
//
// Layout: x [N][C][H][W] (xs), y same shape (ys; may be x itself: in place is fine), scale/shift [C].
// Threads: one per element; grid = (ceil(H*W / 256), C, N), block = 256; blockIdx.y is the channel
//          so scale/shift are uniform per block.
// Variants: bn_relu_f32_nchw.
#include "common.cuh"

template <typename T>
__device__ __forceinline__ void bn_relu_body(const T* x, i64 xs, const T* __restrict__ scale,
                                             const T* __restrict__ shift, T* y, i64 ys, int HW, int act) {
    const int p = blockIdx.x * blockDim.x + threadIdx.x;
    if (p >= HW) return;
    const int c = blockIdx.y, n = blockIdx.z;
    const i64 o = (i64)c * HW + p;
    const float v = __fmaf_rn(to_acc(x[n * xs + o]), to_acc(scale[c]), to_acc(shift[c]));
    y[n * ys + o] = from_acc<T>(apply_act(v, act));
}

// x and y are not __restrict__: the executor may run this in place
extern "C" __global__ void __launch_bounds__(256) bn_relu_f32_nchw(const float* x, i64 xs, const float* __restrict__ scale,
                                                                   const float* __restrict__ shift, float* y, i64 ys,
                                                                   int C, int HW, int act) {
    bn_relu_body<float>(x, xs, scale, shift, y, ys, HW, act);
}
JCNN_KERNEL(bn_relu_f32_nchw, NOSYNC)
