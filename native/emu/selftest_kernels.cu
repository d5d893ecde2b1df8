// selftest_kernels.cu: kernels that exist only to test the emulator itself (built into
// libjcnn_emu.so, never into the fatbin). Each has a `barrier` or similar switch so a test can
// show that leaving the barrier out gives a wrong answer, i.e. that barriers are real.
#include "common.cuh"

// tree sum of x[0..n) in one block of blockDim.x (power of two) threads; out[0] = sum
extern "C" __global__ void emutest_block_sum(const float* x, float* out, int n, int barrier) {
    __shared__ float sh[1024];
    const int t = threadIdx.x;
    sh[t] = t < n ? x[t] : 0.f;
    if (barrier) __syncthreads();
    for (int s = blockDim.x / 2; s > 0; s >>= 1) {
        if (t < s) sh[t] += sh[t + s];
        if (barrier) __syncthreads();
    }
    if (t == 0) out[0] = sh[0];
}
JCNN_KERNEL(emutest_block_sum, SYNC)

// per thread t of lane l, 7 results: out[t*7 + ...]
//   0 shfl_down tree sum (valid in lane 0), 1 shfl_xor butterfly sum (all lanes),
//   2 inclusive prefix sum by shfl_up, 3 value of lane 5 (shfl_sync), 4 ballot(x odd),
//   5 any(x > 100) | all(x >= 0) << 1, 6 shfl_xor(x, 1, width 16)
extern "C" __global__ void emutest_warp_ops(const int* x, int* out) {
    const int t = blockIdx.x * blockDim.x + threadIdx.x, lane = threadIdx.x & 31;
    const int v = x[t];
    int s = v;
    for (int o = 16; o > 0; o >>= 1) s += __shfl_down_sync(0xffffffffu, s, o);
    int b = v;
    for (int o = 16; o > 0; o >>= 1) b += __shfl_xor_sync(0xffffffffu, b, o);
    int p = v;
    for (int o = 1; o < 32; o <<= 1) {
        const int u = __shfl_up_sync(0xffffffffu, p, o);
        if (lane >= o) p += u;
    }
    int* r = out + t * 7;
    r[0] = s;
    r[1] = b;
    r[2] = p;
    r[3] = __shfl_sync(0xffffffffu, v, 5);
    r[4] = (int)__ballot_sync(0xffffffffu, v & 1);
    r[5] = __any_sync(0xffffffffu, v > 100) | (__all_sync(0xffffffffu, v >= 0) << 1);
    r[6] = __shfl_xor_sync(0xffffffffu, v, 1, 16);
}
JCNN_KERNEL(emutest_warp_ops, SYNC)

// y = transpose(x) for x [rows][cols] through a 32x33 shared tile; block (32, 8)
extern "C" __global__ void emutest_transpose(const float* x, float* y, int rows, int cols, int barrier) {
    __shared__ float tile[32][33];
    const int c0 = blockIdx.x * 32, r0 = blockIdx.y * 32;
    for (int j = threadIdx.y; j < 32; j += blockDim.y) {
        const int r = r0 + j, c = c0 + threadIdx.x;
        tile[j][threadIdx.x] = (r < rows && c < cols) ? x[r * cols + c] : 0.f;
    }
    if (barrier) __syncthreads();
    for (int j = threadIdx.y; j < 32; j += blockDim.y) {
        const int c = c0 + j, r = r0 + threadIdx.x; // y[c][r] = tile[r - r0][c - c0]
        if (c < cols && r < rows) y[c * rows + r] = tile[threadIdx.x][j];
    }
}
JCNN_KERNEL(emutest_transpose, SYNC)

// dynamic shared memory: reverses x[0..blockDim.x) into y
extern "C" __global__ void emutest_reverse_dyn(const float* x, float* y) {
    JCNN_DYNAMIC_SHARED(float, sh);
    const int t = threadIdx.x, n = blockDim.x;
    sh[t] = x[t];
    __syncthreads();
    y[t] = sh[n - 1 - t];
}
JCNN_KERNEL(emutest_reverse_dyn, SYNC)

// y[i] = x[i + shift] for i < n: with shift > 0 the last threads read past the end of x
extern "C" __global__ void emutest_offset_copy(const float* x, float* y, int n, int shift) {
    const int i = blockIdx.x * blockDim.x + threadIdx.x;
    if (i < n) y[i + (shift < 0 ? -shift : 0)] = x[i + (shift > 0 ? shift : 0)];
}
JCNN_KERNEL(emutest_offset_copy, NOSYNC)

// a kernel that breaks its NOSYNC promise: the launch must fail, not compute garbage
extern "C" __global__ void emutest_lying_nosync(float* y) {
    __syncthreads();
    y[threadIdx.x] = 1.f;
}
JCNN_KERNEL(emutest_lying_nosync, NOSYNC)
