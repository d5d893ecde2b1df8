// emu_api.h: the C API of libjcnn_emu.so, mirroring the CUDA driver calls the JCuda backend makes
// (cuModuleGetFunction, cuLaunchKernel, cuMemAlloc/Free, cuMemcpyHtoD/DtoH, cuMemsetD8).
// Every call returning int gives 0 on success; on failure emu_last_error() says why.
#pragma once
#include <stddef.h>
#ifdef __cplusplus
extern "C" {
#endif
void* emu_function(const char* name);  // look up once per kernel; NULL if unknown
int emu_function_count(void);
// args: cuLaunchKernel's kernelParams, one pointer per kernel parameter, pointing at its value
int emu_launch(void* fn, unsigned gx, unsigned gy, unsigned gz, unsigned bx, unsigned by, unsigned bz,
               unsigned sharedBytes, void** args);
const char* emu_last_error(void);
void* emu_malloc(size_t bytes);
int emu_free(void* p);
int emu_memcpy_htod(void* dst, const void* src, size_t bytes);
int emu_memcpy_dtoh(void* dst, const void* src, size_t bytes);
int emu_memcpy_dtod(void* dst, const void* src, size_t bytes);
int emu_memset(void* dst, int value, size_t bytes);
int emu_is_asan(void);
#ifdef __cplusplus
}
#endif
