// concat.cu: strided channel-block copy, the one data mover behind concat, split and slice:
//   y[n][c][p] = x[n][c][p] for c < C, p < H*W, with independent batch strides.
// concat = one launch per input into a channel slice of the output (y points at the slice);
// slice/split = one launch from a channel slice of the input. The executor normally does neither:
// producers write straight into their slice of the block buffer (concat in place, DenseNet) and a
// split is a zero-copy view (ShuffleNet v2), so these kernels run only where a copy is unavoidable.
//
// Layout: x [N][C][H][W] (xs), y [N][C][H][W] (ys); must not overlap.
// Threads: one per element (copy) or per 4 elements (copy4); grid = (ceil(HW' / 256), C, N), block 256.
// Variants: concat_f32_copy (any shape), concat_f32_copy4 (float4; needs HW, xs, ys multiples of 4
//           and 16-byte aligned x, y: the launcher checks). Bit-exact.
#include "common.cuh"

template <typename T>
__device__ __forceinline__ void copy_body(const T* __restrict__ x, i64 xs, T* __restrict__ y, i64 ys, int HW) {
    const int p = blockIdx.x * blockDim.x + threadIdx.x;
    if (p >= HW) return;
    const i64 o = (i64)blockIdx.y * HW + p;
    y[blockIdx.z * ys + o] = x[blockIdx.z * xs + o];
}

extern "C" __global__ void __launch_bounds__(256) concat_f32_copy(const float* __restrict__ x, i64 xs,
                                                                  float* __restrict__ y, i64 ys, int C, int HW) {
    copy_body<float>(x, xs, y, ys, HW);
}
JCNN_KERNEL(concat_f32_copy, NOSYNC)

// HW4 = HW / 4; strides still in floats
extern "C" __global__ void __launch_bounds__(256) concat_f32_copy4(const float* __restrict__ x, i64 xs,
                                                                   float* __restrict__ y, i64 ys, int C, int HW4) {
    const int p = blockIdx.x * blockDim.x + threadIdx.x;
    if (p >= HW4) return;
    const i64 o = (i64)blockIdx.y * HW4 + p;
    reinterpret_cast<float4*>(y + blockIdx.z * ys)[o] = reinterpret_cast<const float4*>(x + blockIdx.z * xs)[o];
}
JCNN_KERNEL(concat_f32_copy4, NOSYNC)
