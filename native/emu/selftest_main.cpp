// selftest_main.cpp: the emulator's standalone test, built with -fsanitize=address and run by the
// build (native/build.sh). It checks barriers, shuffles and the shared-memory transpose through the
// same C API the JVM uses, then proves that a kernel reading past the end of a device buffer is
// caught: it runs such a launch in a child process and requires ASan's heap-buffer-overflow report.
// (The JVM side uses the non-ASan library, whose guard zones catch out-of-bounds writes.)
#include "emu_api.h"
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <sys/wait.h>
#include <unistd.h>
#include <vector>

static int failures = 0;
#define CHECK(cond, ...) do { if (!(cond)) { fprintf(stderr, "FAIL %s:%d: ", __FILE__, __LINE__); \
    fprintf(stderr, __VA_ARGS__); fputc('\n', stderr); failures++; } } while (0)

static void* fn(const char* name) {
    void* f = emu_function(name);
    if (!f) { fprintf(stderr, "%s\n", emu_last_error()); exit(2); }
    return f;
}
template <class T> static T* upload(const std::vector<T>& v) {
    T* d = static_cast<T*>(emu_malloc(v.size() * sizeof(T)));
    emu_memcpy_htod(d, v.data(), v.size() * sizeof(T));
    return d;
}
template <class T> static std::vector<T> download(const T* d, size_t n) {
    std::vector<T> v(n);
    emu_memcpy_dtoh(v.data(), d, n * sizeof(T));
    return v;
}

static void test_block_sum() {
    std::vector<float> x(256);
    float want = 0;
    for (int i = 0; i < 256; i++) { x[i] = float(i % 7 + 1); want += x[i]; }
    float* dx = upload(x);
    float* dout = static_cast<float*>(emu_malloc(4));
    int n = 256, barrier = 1;
    void* args[] = {&dx, &dout, &n, &barrier};
    CHECK(emu_launch(fn("emutest_block_sum"), 1, 1, 1, 256, 1, 1, 0, args) == 0, "%s", emu_last_error());
    CHECK(download(dout, 1)[0] == want, "block sum %g != %g", download(dout, 1)[0], want);
    // without barriers the tree reads partial sums too early: some run must be wrong. New data
    // each run, so stale shared memory from the run before cannot pass for the right answer.
    barrier = 0;
    bool wrong = false;
    for (int run = 0; run < 5 && !wrong; run++) {
        for (int i = 0; i < 256; i++) x[i] *= 2;
        want *= 2;
        emu_memcpy_htod(dx, x.data(), 256 * 4);
        emu_launch(fn("emutest_block_sum"), 1, 1, 1, 256, 1, 1, 0, args);
        wrong = download(dout, 1)[0] != want;
    }
    CHECK(wrong, "block sum without __syncthreads was right 5 times: barriers are not being emulated");
    emu_free(dx);
    emu_free(dout);
}

static void test_warp_ops() {
    const int T = 96;
    std::vector<int> x(T);
    for (int i = 0; i < T; i++) x[i] = (i * 37) % 101 + (i == 40 ? 200 : 0);
    int* dx = upload(x);
    int* dout = static_cast<int*>(emu_malloc(T * 7 * sizeof(int)));
    void* args[] = {&dx, &dout};
    CHECK(emu_launch(fn("emutest_warp_ops"), 1, 1, 1, T, 1, 1, 0, args) == 0, "%s", emu_last_error());
    std::vector<int> r = download(dout, T * 7);
    for (int w = 0; w < T / 32; w++) {
        int sum = 0, pre = 0, anyBig = 0;
        unsigned odd = 0;
        for (int l = 0; l < 32; l++) { sum += x[w * 32 + l]; anyBig |= x[w * 32 + l] > 100; odd |= unsigned(x[w * 32 + l] & 1) << l; }
        for (int l = 0; l < 32; l++) {
            int t = w * 32 + l;
            pre += x[t];
            if (l == 0) CHECK(r[t * 7] == sum, "shfl_down sum warp %d: %d != %d", w, r[t * 7], sum);
            CHECK(r[t * 7 + 1] == sum, "shfl_xor sum lane %d", t);
            CHECK(r[t * 7 + 2] == pre, "shfl_up scan lane %d: %d != %d", t, r[t * 7 + 2], pre);
            CHECK(r[t * 7 + 3] == x[w * 32 + 5], "shfl broadcast lane %d", t);
            CHECK(unsigned(r[t * 7 + 4]) == odd, "ballot lane %d", t);
            CHECK(r[t * 7 + 5] == (anyBig | 2), "any/all lane %d", t);
            CHECK(r[t * 7 + 6] == x[t ^ 1], "shfl_xor width 16 lane %d", t);
        }
    }
    emu_free(dx);
    emu_free(dout);
}

static void test_transpose() {
    const int R = 45, C = 70;
    std::vector<float> x(R * C);
    for (int i = 0; i < R * C; i++) x[i] = float(i);
    float* dx = upload(x);
    float* dy = static_cast<float*>(emu_malloc(R * C * 4));
    int rows = R, cols = C, barrier = 1;
    void* args[] = {&dx, &dy, &rows, &cols, &barrier};
    CHECK(emu_launch(fn("emutest_transpose"), (C + 31) / 32, (R + 31) / 32, 1, 32, 8, 1, 0, args) == 0, "%s", emu_last_error());
    std::vector<float> y = download(dy, R * C);
    int bad = 0;
    for (int r = 0; r < R; r++) for (int c = 0; c < C; c++) bad += y[c * R + r] != x[r * C + c];
    CHECK(bad == 0, "transpose: %d wrong", bad);
    emu_free(dx);
    emu_free(dy);
}

// child: one kernel reads 1 float past the end of a 1000-float buffer; ASan must abort the process
static int oob_child() {
    std::vector<float> x(1000, 1.f);
    float* dx = upload(x);
    float* dy = static_cast<float*>(emu_malloc(1000 * 4));
    int n = 1000, shift = 1;
    void* args[] = {&dx, &dy, &n, &shift};
    emu_launch(fn("emutest_offset_copy"), 4, 1, 1, 256, 1, 1, 0, args);
    fprintf(stderr, "OOB read was NOT caught\n");
    return 0;
}

static void test_oob_read_caught(const char* self) {
    std::string cmd = std::string(self) + " oob-child 2>&1";
    FILE* p = popen(cmd.c_str(), "r");
    std::string out;
    char buf[4096];
    size_t k;
    while ((k = fread(buf, 1, sizeof buf, p)) > 0) out.append(buf, k);
    int st = pclose(p);
    bool caught = out.find("heap-buffer-overflow") != std::string::npos && out.find("READ of size 4") != std::string::npos;
    CHECK(caught && st != 0, "out-of-bounds read not reported by ASan (exit %d):\n%s", st, out.c_str());
    if (caught) {
        size_t a = out.find("ERROR: AddressSanitizer"), e = out.find('\n', a);
        printf("  OOB read caught: %s\n", out.substr(a, e - a).c_str());
    }
}

int main(int argc, char** argv) {
    if (argc > 1 && strcmp(argv[1], "oob-child") == 0) return oob_child();
    CHECK(emu_is_asan(), "selftest must be built with -fsanitize=address");
    test_block_sum();
    test_warp_ops();
    test_transpose();
    test_oob_read_caught(argv[0]);
    printf("emu selftest (ASan): %d kernels registered, %s\n", emu_function_count(), failures ? "FAILED" : "OK");
    return failures ? 1 : 0;
}
