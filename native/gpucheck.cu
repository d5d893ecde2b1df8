// gpucheck.cu: replays on a real GPU the kernel launches the Java tests made on the emulator, from
// kernels.fatbin through the driver API, and checks every output the tests checked against the
// same float64-reference values (recorded in the trace) with the same tolerances.
//
//   mvn -B test -P'!asan' -Dtest='*KernelsTest' -DargLine="... -Djcnn.gputrace=target/gpucheck/trace.bin"
//   nvcc -O2 -o gpucheck native/gpucheck.cu -lcuda       (on the GPU machine; here: nvcc -c only)
//   ./gpucheck target/classes/jcnn/cuda/kernels.fatbin target/gpucheck/trace.bin
//
// Trace records (TraceDevice.java, little-endian): M ptr bytes | F ptr | H dst bytes data |
// S dst value bytes | L name grid[3] block[3] shared nargs (u8 type, u64 raw)* |
// E what ptr batchStride n perImage atol rtol floats. Emulator addresses are translated to device
// addresses by allocation (base + offset), so channel-slice views replay as views.
#include <cuda.h>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <map>
#include <string>
#include <vector>

#define CK(x) do { CUresult r_ = (x); if (r_ != CUDA_SUCCESS) { const char* s_ = nullptr; cuGetErrorString(r_, &s_); \
    fprintf(stderr, "%s:%d %s: %s\n", __FILE__, __LINE__, #x, s_ ? s_ : "?"); exit(2); } } while (0)

struct Reader {
    FILE* f;
    template <class T> T get() { T v; if (fread(&v, sizeof v, 1, f) != 1) { fprintf(stderr, "truncated trace\n"); exit(2); } return v; }
    std::string str() { uint32_t n = get<uint32_t>(); std::string s(n, '\0'); if (n && fread(&s[0], 1, n, f) != n) exit(2); return s; }
    std::vector<char> bytes(size_t n) { std::vector<char> v(n); if (n && fread(v.data(), 1, n, f) != n) exit(2); return v; }
};

struct Alloc { CUdeviceptr dev; uint64_t bytes; };
static std::map<uint64_t, Alloc> allocs; // emulator base -> device allocation

static CUdeviceptr translate(uint64_t emu) {
    if (emu == 0) return 0;
    auto it = allocs.upper_bound(emu);
    if (it == allocs.begin()) { fprintf(stderr, "pointer %#llx not in any allocation\n", (unsigned long long)emu); exit(2); }
    --it;
    if (emu > it->first + it->second.bytes) { fprintf(stderr, "pointer %#llx past its allocation\n", (unsigned long long)emu); exit(2); }
    return it->second.dev + (emu - it->first);
}

int main(int argc, char** argv) {
    if (argc < 3) { fprintf(stderr, "usage: gpucheck kernels.fatbin trace.bin\n"); return 2; }
    CK(cuInit(0));
    CUdevice dev;
    CK(cuDeviceGet(&dev, 0));
    char name[256];
    CK(cuDeviceGetName(name, sizeof name, dev));
    CUcontext ctx;
    CK(cuDevicePrimaryCtxRetain(&ctx, dev));
    CK(cuCtxSetCurrent(ctx));
    CUmodule mod;
    CK(cuModuleLoad(&mod, argv[1]));
    Reader rd{fopen(argv[2], "rb")};
    if (!rd.f) { perror(argv[2]); return 2; }
    char magic[8];
    if (fread(magic, 1, 8, rd.f) != 8 || memcmp(magic, "JCNNTRC1", 8) != 0) { fprintf(stderr, "not a jcnn trace\n"); return 2; }

    std::map<std::string, CUfunction> fns;
    std::map<std::string, std::pair<int, int>> perKernel; // last launched kernel -> checks passed / failed
    std::string lastKernel;
    int launches = 0, checks = 0, failed = 0;
    int c;
    while ((c = fgetc(rd.f)) != EOF) {
        if (c == 'M') {
            uint64_t p = rd.get<uint64_t>(), n = rd.get<uint64_t>();
            CUdeviceptr d;
            CK(cuMemAlloc(&d, n));
            allocs[p] = {d, n};
        } else if (c == 'F') {
            uint64_t p = rd.get<uint64_t>();
            CK(cuMemFree(allocs.at(p).dev));
            allocs.erase(p);
        } else if (c == 'H') {
            uint64_t p = rd.get<uint64_t>(), n = rd.get<uint64_t>();
            std::vector<char> data = rd.bytes(n);
            CK(cuMemcpyHtoD(translate(p), data.data(), n));
        } else if (c == 'S') {
            uint64_t p = rd.get<uint64_t>();
            uint32_t v = rd.get<uint32_t>();
            uint64_t n = rd.get<uint64_t>();
            CK(cuMemsetD8(translate(p), (unsigned char)v, n));
        } else if (c == 'L') {
            std::string k = rd.str();
            uint32_t d[7]; // grid xyz, block xyz, shared bytes
            for (auto& x : d) x = rd.get<uint32_t>();
            uint32_t nargs = rd.get<uint32_t>();
            std::vector<uint64_t> slots(nargs);
            std::vector<void*> args(nargs);
            for (uint32_t i = 0; i < nargs; i++) {
                uint8_t type = rd.get<uint8_t>();
                uint64_t raw = rd.get<uint64_t>();
                slots[i] = type == 0 ? (uint64_t)translate(raw) : raw; // 0 = pointer
                args[i] = &slots[i];
            }
            if (!fns.count(k)) CK(cuModuleGetFunction(&fns[k], mod, k.c_str()));
            CK(cuLaunchKernel(fns[k], d[0], d[1], d[2], d[3], d[4], d[5], d[6], nullptr, args.data(), nullptr));
            CK(cuCtxSynchronize());
            lastKernel = k;
            launches++;
        } else if (c == 'E') {
            std::string what = rd.str();
            uint64_t p = rd.get<uint64_t>(), bs = rd.get<uint64_t>();
            uint32_t n = rd.get<uint32_t>();
            uint64_t per = rd.get<uint64_t>();
            float atol = rd.get<float>(), rtol = rd.get<float>();
            std::vector<float> ref(n * per), got(n * per);
            for (auto& v : ref) v = rd.get<float>();
            for (uint32_t b = 0; b < n; b++) CK(cuMemcpyDtoH(got.data() + b * per, translate(p + b * bs * 4), per * 4));
            size_t bad = 0;
            double worst = 0;
            for (size_t i = 0; i < ref.size(); i++) {
                bool ok = (atol == 0 && rtol == 0) ? memcmp(&ref[i], &got[i], 4) == 0 && got[i] == got[i]
                                                   : std::fabs(got[i] - ref[i]) <= atol + rtol * std::fabs(ref[i]);
                if (!ok) { bad++; worst = std::fmax(worst, std::fabs((double)got[i] - ref[i])); }
            }
            checks++;
            auto& pk = perKernel[lastKernel];
            if (bad) {
                failed++;
                pk.second++;
                printf("FAIL %-40s (%s): %zu of %zu differ, worst %.3g\n", what.c_str(), lastKernel.c_str(), bad, ref.size(), worst);
            } else {
                pk.first++;
            }
        } else {
            fprintf(stderr, "bad record '%c'\n", c);
            return 2;
        }
    }
    printf("\ngpucheck on %s: %d launches, %d checks, %d failed\n", name, launches, checks, failed);
    printf("%-32s %6s %6s\n", "kernel (last before check)", "pass", "fail");
    for (auto& [k, pf] : perKernel) printf("%-32s %6d %6d\n", k.c_str(), pf.first, pf.second);
    return failed ? 1 : 0;
}
