// driver_shim/cuda.h: the few CUDA driver-API calls native/gpucheck.cu uses, mapped onto the
// emulator (emu_api.h), so the GPU replay harness itself is tested here before it meets a GPU:
//   g++ -std=c++17 -Inative/emu/driver_shim -Inative/emu -x c++ native/gpucheck.cu -Ltarget/classes/jcnn/cuda -ljcnn_emu
#pragma once
#include "emu_api.h"
#include <cstdint>
#include <cstring>

typedef int CUresult;
typedef int CUdevice;
typedef void* CUcontext;
typedef void* CUmodule;
typedef void* CUfunction;
typedef void* CUstream;
typedef unsigned long long CUdeviceptr;
enum { CUDA_SUCCESS = 0, CUDA_ERROR_EMULATED = 999 };

inline CUresult cuGetErrorString(CUresult, const char** s) { *s = emu_last_error(); return 0; }
inline CUresult cuInit(unsigned) { return 0; }
inline CUresult cuDeviceGet(CUdevice* d, int) { *d = 0; return 0; }
inline CUresult cuDeviceGetName(char* n, int len, CUdevice) { strncpy(n, "CUDA emulator (driver shim)", len); return 0; }
inline CUresult cuDevicePrimaryCtxRetain(CUcontext* c, CUdevice) { *c = nullptr; return 0; }
inline CUresult cuCtxSetCurrent(CUcontext) { return 0; }
inline CUresult cuModuleLoad(CUmodule* m, const char*) { *m = nullptr; return 0; } // kernels are linked in
inline CUresult cuModuleGetFunction(CUfunction* f, CUmodule, const char* name) {
    *f = emu_function(name);
    return *f ? 0 : CUDA_ERROR_EMULATED;
}
inline CUresult cuMemAlloc(CUdeviceptr* p, size_t n) {
    *p = (CUdeviceptr)(uintptr_t)emu_malloc(n);
    return *p ? 0 : CUDA_ERROR_EMULATED;
}
inline CUresult cuMemFree(CUdeviceptr p) { return emu_free((void*)(uintptr_t)p) ? CUDA_ERROR_EMULATED : 0; }
inline CUresult cuMemcpyHtoD(CUdeviceptr d, const void* h, size_t n) { return emu_memcpy_htod((void*)(uintptr_t)d, h, n) ? CUDA_ERROR_EMULATED : 0; }
inline CUresult cuMemcpyDtoH(void* h, CUdeviceptr d, size_t n) { return emu_memcpy_dtoh(h, (void*)(uintptr_t)d, n) ? CUDA_ERROR_EMULATED : 0; }
inline CUresult cuMemsetD8(CUdeviceptr d, unsigned char v, size_t n) { return emu_memset((void*)(uintptr_t)d, v, n) ? CUDA_ERROR_EMULATED : 0; }
inline CUresult cuLaunchKernel(CUfunction f, unsigned gx, unsigned gy, unsigned gz, unsigned bx, unsigned by, unsigned bz,
                               unsigned shared, CUstream, void** args, void**) {
    return emu_launch(f, gx, gy, gz, bx, by, bz, shared, args) ? CUDA_ERROR_EMULATED : 0;
}
inline CUresult cuCtxSynchronize() { return 0; }
