// conv_grouped.cu: direct convolution for any groups g (1 = dense), any k, stride, pad:
// ResNeXt's g=32 3x3, DenseNet's dense 3x3 128->32, the 7x7 s2 / 3x3 s2 stems, SqueezeNet's 3x3 expand.
//
// Layout: x [N][Cin][H][W] (batch stride xs), w [Cout][Cin/g][k][k], y [N][Cout][OH][OW] (ys),
//         optional bias [Cout], prologue scale/shift [Cin], residual r like y (rs).
// Threads: one output pixel per thread for one output channel per block.
//          grid = (ceil(OH*OW / 256), Cout, N), block = 256. The block first stages the (Cin/g)*k*k
//          weights of its output channel in dynamic shared memory (sharedBytes = 4*(Cin/g)*k*k,
//          at most 48 KiB), then every thread walks the group's input channels. Threads past the
//          last pixel still take part in the barrier and only skip the store.
// Variants: conv_grouped_f32_k3 (3x3 taps unrolled), conv_grouped_f32_generic. Same parameters.
#include "common.cuh"

template <typename T, int KT>
__device__ __forceinline__ void grouped_body(const T* __restrict__ x, i64 xs, const T* __restrict__ w,
                                             const T* __restrict__ bias, const T* __restrict__ scale,
                                             const T* __restrict__ shift, const T* __restrict__ r, i64 rs,
                                             T* __restrict__ y, i64 ys, int Cin, int H, int W, int Cout,
                                             int OH, int OW, int kr, int s, int pad, int groups, int act) {
    JCNN_DYNAMIC_SHARED(float, wsh);
    const int k = KT ? KT : kr;
    const int oc = blockIdx.y, n = blockIdx.z;
    const int cig = Cin / groups, cog = Cout / groups, g = oc / cog;
    const int taps = cig * k * k;
    for (int i = threadIdx.x; i < taps; i += blockDim.x) wsh[i] = to_acc(w[(i64)oc * taps + i]);
    __syncthreads();

    const int p = blockIdx.x * blockDim.x + threadIdx.x;
    if (p >= OH * OW) return; // after the only barrier: safe
    const int oy = p / OW, ox = p - oy * OW;
    const int iy0 = oy * s - pad, ix0 = ox * s - pad;
    const bool pro = scale != nullptr;
    float acc = bias ? to_acc(bias[oc]) : 0.f;
    for (int ic = 0; ic < cig; ic++) {
        const int c = g * cig + ic;
        const T* xc = x + n * xs + (i64)c * H * W;
        const float sc = pro ? to_acc(scale[c]) : 1.f, sh = pro ? to_acc(shift[c]) : 0.f;
        const float* wk = wsh + ic * k * k;
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
                acc = __fmaf_rn(v, wk[ky * k + kx], acc);
            }
        }
    }
    const i64 o = (i64)oc * OH * OW + p;
    if (r) acc += to_acc(r[n * rs + o]);
    y[n * ys + o] = from_acc<T>(apply_act(acc, act));
}

#define GC_PARAMS(T) const T* __restrict__ x, i64 xs, const T* __restrict__ w, const T* __restrict__ bias, \
    const T* __restrict__ scale, const T* __restrict__ shift, const T* __restrict__ r, i64 rs, T* __restrict__ y, \
    i64 ys, int Cin, int H, int W, int Cout, int OH, int OW, int k, int stride, int pad, int groups, int act
#define GC_ARGS x, xs, w, bias, scale, shift, r, rs, y, ys, Cin, H, W, Cout, OH, OW, k, stride, pad, groups, act

extern "C" __global__ void __launch_bounds__(256) conv_grouped_f32_k3(GC_PARAMS(float)) {
    grouped_body<float, 3>(GC_ARGS);
}
JCNN_KERNEL(conv_grouped_f32_k3, SYNC)

extern "C" __global__ void __launch_bounds__(256) conv_grouped_f32_generic(GC_PARAMS(float)) {
    grouped_body<float, 0>(GC_ARGS);
}
JCNN_KERNEL(conv_grouped_f32_generic, SYNC)
