// eltwise.cu: elementwise ops on whole images: y = act(a + b) (residual add; ResNeXt and
// ShuffleNet v1 when not fused into a conv epilogue) and y = act(x) (a standalone activation).
//
// Layout: a, b, x, y: per image `per` = C*H*W contiguous elements, batch strides as, bs, xs, ys.
//         y may alias an input exactly (in place), so no __restrict__ on them.
// Threads: one per element; grid = (ceil(per / 256), N), block = 256.
// Variants: eltwise_f32_add, eltwise_f32_act.
#include "common.cuh"

template <typename T>
__device__ __forceinline__ void add_body(const T* a, i64 as, const T* b, i64 bs, T* y, i64 ys, int per, int act) {
    const int i = blockIdx.x * blockDim.x + threadIdx.x;
    if (i >= per) return;
    const i64 n = blockIdx.y;
    y[n * ys + i] = from_acc<T>(apply_act(to_acc(a[n * as + i]) + to_acc(b[n * bs + i]), act));
}

extern "C" __global__ void __launch_bounds__(256) eltwise_f32_add(const float* a, i64 as, const float* b, i64 bs,
                                                                  float* y, i64 ys, int per, int act) {
    add_body<float>(a, as, b, bs, y, ys, per, act);
}
JCNN_KERNEL(eltwise_f32_add, NOSYNC)

extern "C" __global__ void __launch_bounds__(256) eltwise_f32_act(const float* x, i64 xs, float* y, i64 ys, int per,
                                                                  int act) {
    const int i = blockIdx.x * blockDim.x + threadIdx.x;
    if (i >= per) return;
    const i64 n = blockIdx.y;
    y[n * ys + i] = apply_act(x[n * xs + i], act);
}
JCNN_KERNEL(eltwise_f32_act, NOSYNC)
