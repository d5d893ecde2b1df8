// conv_depthwise.cu: depthwise convolution (groups = C_in = C_out), MobileNet v1/v2, ShuffleNet.
//
// Layout: x [N][C][H][W] (batch stride xs), w [C][1][k][k], y [N][C][OH][OW] (batch stride ys),
//         optional bias [C], prologue scale/shift [C], residual r [N][C][OH][OW] (batch stride rs).
// Threads: one per output element. grid = (ceil(OH*OW / 256), C, N), block = 256; blockIdx.y is
//          the channel, so its k*k weights and prologue constants are uniform across the block
//          (broadcast loads, no shared memory, no barrier).
// Variants: conv_depthwise_f32_3x3s1, _3x3s2 (k and stride compile-time: the 9 taps unroll),
//           _generic (any k, stride; runtime loops). Same parameter list for all three.
// Epilogue: y = act(sum + bias + r). Prologue (DenseNet-style, optional): x' = relu(x*scale+shift)
//           on real input elements only; padding stays zero.
#include "common.cuh"

template <typename T, int KT, int ST>
__device__ __forceinline__ void dw_body(const T* __restrict__ x, i64 xs, const T* __restrict__ w,
                                        const T* __restrict__ bias, const T* __restrict__ scale,
                                        const T* __restrict__ shift, const T* __restrict__ r, i64 rs,
                                        T* __restrict__ y, i64 ys, int C, int H, int W, int OH, int OW,
                                        int kr, int sr, int pad, int act) {
    const int k = KT ? KT : kr, s = ST ? ST : sr;
    const int p = blockIdx.x * blockDim.x + threadIdx.x;
    if (p >= OH * OW) return;
    const int c = blockIdx.y, n = blockIdx.z;
    const int oy = p / OW, ox = p - oy * OW;
    const T* xc = x + n * xs + (i64)c * H * W;
    const T* wc = w + c * k * k;
    const bool pro = scale != nullptr;
    const float sc = pro ? to_acc(scale[c]) : 1.f, sh = pro ? to_acc(shift[c]) : 0.f;
    float acc = bias ? to_acc(bias[c]) : 0.f;
    const int iy0 = oy * s - pad, ix0 = ox * s - pad;
#pragma unroll
    for (int ky = 0; ky < k; ky++) {
        const int iy = iy0 + ky;
        if (iy < 0 || iy >= H) continue;
#pragma unroll
        for (int kx = 0; kx < k; kx++) {
            const int ix = ix0 + kx;
            if (ix < 0 || ix >= W) continue;
            float v = to_acc(__ldg(xc + iy * W + ix));
            if (pro) v = fmaxf(0.f, __fmaf_rn(v, sc, sh));
            acc = __fmaf_rn(v, to_acc(__ldg(wc + ky * k + kx)), acc);
        }
    }
    const i64 o = (i64)c * OH * OW + p;
    if (r) acc += to_acc(r[n * rs + o]);
    y[n * ys + o] = from_acc<T>(apply_act(acc, act));
}

#define DW_PARAMS(T) const T* __restrict__ x, i64 xs, const T* __restrict__ w, const T* __restrict__ bias, \
    const T* __restrict__ scale, const T* __restrict__ shift, const T* __restrict__ r, i64 rs, T* __restrict__ y, \
    i64 ys, int C, int H, int W, int OH, int OW, int k, int stride, int pad, int act
#define DW_ARGS x, xs, w, bias, scale, shift, r, rs, y, ys, C, H, W, OH, OW, k, stride, pad, act

extern "C" __global__ void __launch_bounds__(256) conv_depthwise_f32_3x3s1(DW_PARAMS(float)) {
    dw_body<float, 3, 1>(DW_ARGS);
}
JCNN_KERNEL(conv_depthwise_f32_3x3s1, NOSYNC)

extern "C" __global__ void __launch_bounds__(256) conv_depthwise_f32_3x3s2(DW_PARAMS(float)) {
    dw_body<float, 3, 2>(DW_ARGS);
}
JCNN_KERNEL(conv_depthwise_f32_3x3s2, NOSYNC)

extern "C" __global__ void __launch_bounds__(256) conv_depthwise_f32_generic(DW_PARAMS(float)) {
    dw_body<float, 0, 0>(DW_ARGS);
}
JCNN_KERNEL(conv_depthwise_f32_generic, NOSYNC)
