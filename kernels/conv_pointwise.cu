// conv_pointwise.cu: 1x1 convolution as a shared-memory tiled GEMM per image and group:
//   y[oc][p] = act( sum_ic W[oc][ic] * x'[ic][p*] + bias[oc] + r[oc][p] )
// with p* the input pixel of output pixel p (stride 2 for ResNeXt's shortcut 1x1) and
// x' = relu(x*scale[c] + shift[c]) when a prologue is given (DenseNet's BN-ReLU before the 1x1).
//
// Layout: x [N][Cin][H][W] (xs), w [Cout][Cin/g], y [N][Cout][OH][OW] (ys), r like y (rs),
//         bias [Cout], scale/shift [Cin]; groups g for ShuffleNet v1 (g = 1 otherwise).
// Threads: block 256 = 16x16 threads computes a 64 (oc) x 64 (pixel) tile, 4x4 outputs per thread:
//          rows ty*4..ty*4+3, pixels tx, tx+16, tx+32, tx+48 (so a warp's stores are coalesced).
//          K (= Cin/g) advances 16 at a time through shared tiles As[16][64+1] (W transposed) and
//          Bs[16][64] (x), two barriers per step. Out-of-range rows/columns load as zero.
//          grid = (ceil(OH*OW/64), ceil((Cout/g)/64), N*g); blockIdx.z = n*g + group.
// Variants: conv_pointwise_f32_tile64 (the one kernel; stride is a parameter, 1 or 2).
#include "common.cuh"

#define PW_BM 64
#define PW_BN 64
#define PW_BK 16

template <typename T>
__device__ __forceinline__ void pw_body(const T* __restrict__ x, i64 xs, const T* __restrict__ w,
                                        const T* __restrict__ bias, const T* __restrict__ scale,
                                        const T* __restrict__ shift, const T* __restrict__ r, i64 rs,
                                        T* __restrict__ y, i64 ys, int Cin, int H, int W, int Cout,
                                        int OH, int OW, int s, int groups, int act) {
    // +1 column: the A tile is stored with k fastest across a half-warp (to read W rows coalesced),
    // which without padding puts 16 stores in one bank
    __shared__ float As[PW_BK][PW_BM + 1];
    __shared__ float Bs[PW_BK][PW_BN];
    const int tid = threadIdx.x, tx = tid & 15, ty = tid >> 4;
    const int n = blockIdx.z / groups, g = blockIdx.z - n * groups;
    const int cig = Cin / groups, cog = Cout / groups;
    const int oc0 = blockIdx.y * PW_BM, p0 = blockIdx.x * PW_BN;
    const int P = OH * OW;
    const T* xg = x + n * xs + (i64)g * cig * H * W;
    const T* wg = w + (i64)g * cog * cig;
    const bool pro = scale != nullptr;

    float acc[4][4];
#pragma unroll
    for (int i = 0; i < 4; i++)
#pragma unroll
        for (int j = 0; j < 4; j++) acc[i][j] = 0.f;

    for (int k0 = 0; k0 < cig; k0 += PW_BK) {
        // each thread loads 4 elements of each tile: 1024 = 256 threads x 4
#pragma unroll
        for (int l = 0; l < 4; l++) {
            const int e = tid + l * 256;
            // A: element (m, kk) with kk fastest so a warp reads runs of a weight row
            const int am = e >> 4, ak = e & 15;
            const int oc = oc0 + am, kc = k0 + ak;
            As[ak][am] = (oc < cog && kc < cig) ? to_acc(wg[(i64)oc * cig + kc]) : 0.f;
            // B: element (kk, pix) with pixels fastest: coalesced along the image row
            const int bk = e >> 6, bp = e & 63;
            const int c = k0 + bk, p = p0 + bp;
            float v = 0.f;
            if (c < cig && p < P) {
                const int oy = p / OW, ox = p - oy * OW;
                v = to_acc(__ldg(xg + (i64)c * H * W + (oy * s) * W + ox * s));
                if (pro) v = fmaxf(0.f, __fmaf_rn(v, to_acc(scale[g * cig + c]), to_acc(shift[g * cig + c])));
            }
            Bs[bk][bp] = v;
        }
        __syncthreads();
#pragma unroll
        for (int kk = 0; kk < PW_BK; kk++) {
            float a[4], b[4];
#pragma unroll
            for (int i = 0; i < 4; i++) a[i] = As[kk][ty * 4 + i];
#pragma unroll
            for (int j = 0; j < 4; j++) b[j] = Bs[kk][tx + 16 * j];
#pragma unroll
            for (int i = 0; i < 4; i++)
#pragma unroll
                for (int j = 0; j < 4; j++) acc[i][j] = __fmaf_rn(a[i], b[j], acc[i][j]);
        }
        __syncthreads(); // the tiles are overwritten next step
    }

#pragma unroll
    for (int i = 0; i < 4; i++) {
        const int ocl = oc0 + ty * 4 + i;
        if (ocl >= cog) continue;
        const int oc = g * cog + ocl;
        const float bv = bias ? to_acc(bias[oc]) : 0.f;
#pragma unroll
        for (int j = 0; j < 4; j++) {
            const int p = p0 + tx + 16 * j;
            if (p >= P) continue;
            const i64 o = (i64)oc * P + p;
            float v = acc[i][j] + bv;
            if (r) v += to_acc(r[n * rs + o]);
            y[n * ys + o] = from_acc<T>(apply_act(v, act));
        }
    }
}

extern "C" __global__ void __launch_bounds__(256) conv_pointwise_f32_tile64(
    const float* __restrict__ x, i64 xs, const float* __restrict__ w, const float* __restrict__ bias,
    const float* __restrict__ scale, const float* __restrict__ shift, const float* __restrict__ r, i64 rs,
    float* __restrict__ y, i64 ys, int Cin, int H, int W, int Cout, int OH, int OW, int stride, int groups, int act) {
    pw_body<float>(x, xs, w, bias, scale, shift, r, rs, y, ys, Cin, H, W, Cout, OH, OW, stride, groups, act);
}
JCNN_KERNEL(conv_pointwise_f32_tile64, SYNC)
