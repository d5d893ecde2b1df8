// squeeze_excite.cu: y = x * sigmoid(fc2(relu(fc1(mean_hw(x))))) per channel (ShuffleNet 2x with SE).
//
// Layout: x [N][C][H][W] (batch stride xs), y like x (ys; y may equal x), w1 [R][C], b1 [R],
//         w2 [C][R], b2 [C] (torchvision's 1x1-conv weights, flattened).
// Threads: one block of 256 per image (grid = N), in four phases separated by barriers, with the
//          C channel means and the R hidden units in dynamic shared memory (sharedBytes = 4*(C+R)):
//          1. one warp per channel: lanes stride the contiguous H*W plane, warp-shuffle sum;
//          2. one warp per hidden unit: lanes stride a row of w1 (coalesced), ReLU;
//          3. one warp per channel: lanes stride a row of w2, sigmoid, the gate overwrites the mean;
//          4. every thread scales elements of the image, consecutive threads on consecutive pixels.
//          At batch 1 this is one block: the op moves C*H*W floats twice (about 0.4 MB at ShuffleNet
//          2x's widest) and is tiny next to the convs around it.
// Variants: squeeze_excite_f32_block. expf for the sigmoid, as softmax.cu.
#include "common.cuh"

template <typename T>
__device__ __forceinline__ void se_body(const T* x, i64 xs, const T* __restrict__ w1,
                                        const T* __restrict__ b1, const T* __restrict__ w2,
                                        const T* __restrict__ b2, T* y, i64 ys, int C, int R, int HW) {
    JCNN_DYNAMIC_SHARED(float, sh);
    float* gate = sh;      // [C]: the means, then the gates
    float* hidden = sh + C; // [R]
    const int lane = threadIdx.x & 31, warp = threadIdx.x >> 5, nw = blockDim.x >> 5;
    const T* xi = x + blockIdx.x * xs;
    T* yi = y + blockIdx.x * ys;
    for (int c = warp; c < C; c += nw) {
        float s = 0.f;
        for (int i = lane; i < HW; i += 32) s += to_acc(xi[(i64)c * HW + i]);
        s = warp_sum(s);
        if (lane == 0) gate[c] = s / HW;
    }
    __syncthreads();
    for (int r = warp; r < R; r += nw) {
        float s = 0.f;
        for (int c = lane; c < C; c += 32) s += to_acc(w1[(i64)r * C + c]) * gate[c];
        s = warp_sum(s);
        if (lane == 0) hidden[r] = fmaxf(s + to_acc(b1[r]), 0.f);
    }
    __syncthreads();
    for (int c = warp; c < C; c += nw) {
        float s = 0.f;
        for (int r = lane; r < R; r += 32) s += to_acc(w2[(i64)c * R + r]) * hidden[r];
        s = warp_sum(s);
        if (lane == 0) gate[c] = 1.f / (1.f + expf(-(s + to_acc(b2[c]))));
    }
    __syncthreads();
    const i64 total = (i64)C * HW;
    for (i64 i = threadIdx.x; i < total; i += blockDim.x) yi[i] = from_acc<T>(to_acc(xi[i]) * gate[i / HW]);
}

extern "C" __global__ void __launch_bounds__(256) squeeze_excite_f32_block(const float* x, i64 xs,
        const float* __restrict__ w1, const float* __restrict__ b1, const float* __restrict__ w2,
        const float* __restrict__ b2, float* y, i64 ys, int C, int R, int HW) {
    se_body<float>(x, xs, w1, b1, w2, b2, y, ys, C, R, HW);
}
JCNN_KERNEL(squeeze_excite_f32_block, SYNC)
