// all_kernels.cu: one translation unit for nvcc, so one fatbin holds every kernel
// (and the device front end parses common.cuh once). The emulator compiles the files one by one.
#include "../kernels/bn_relu.cu"
#include "../kernels/channel_shuffle.cu"
#include "../kernels/concat.cu"
#include "../kernels/conv_depthwise.cu"
#include "../kernels/conv_grouped.cu"
#include "../kernels/conv_pointwise.cu"
#include "../kernels/eltwise.cu"
#include "../kernels/linear.cu"
#include "../kernels/pool.cu"
#include "../kernels/softmax.cu"
#include "../kernels/squeeze_excite.cu"
