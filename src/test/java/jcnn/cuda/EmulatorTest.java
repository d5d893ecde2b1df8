package jcnn.cuda;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import jcnn.cuda.Device.Dim3;
import jcnn.cuda.Device.Kernel;
import jcnn.cuda.KernelParams.Type;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * The emulator itself, through the same FFM path as the kernels: barriers are real (leaving one out
 * gives a wrong sum), shuffles and votes exchange lane values, a transpose through shared memory
 * works, dynamic shared memory works; and misuse fails loudly: out-of-bounds writes (guard zones),
 * pointers outside device memory, unknown kernels, bad launch configurations, broken NOSYNC promises.
 * Out-of-bounds reads are ASan's job: {@link #asanSelfTestCatchesOutOfBoundsRead} runs that binary.
 */
class EmulatorTest extends EmuTestBase {
    private final Arena arena = Arena.ofAuto();

    long upload(float[] v) {
        long p = EMU.malloc(4L * v.length);
        EMU.copyToDevice(p, MemorySegment.ofArray(v), 4L * v.length);
        return p;
    }

    float[] download(long p, int n) {
        float[] v = new float[n];
        EMU.copyToHost(MemorySegment.ofArray(v), p, 4L * n);
        return v;
    }

    @Test void sharedMemoryReductionNeedsItsBarriers() {
        Kernel k = EMU.kernel("emutest_block_sum");
        KernelParams p = new KernelParams(arena, Type.PTR, Type.PTR, Type.I32, Type.I32);
        float[] x = new float[256];
        long out = EMU.malloc(4);
        boolean wrongWithout = false;
        for (int run = 0; run < 5; run++) {
            float want = 0;
            for (int i = 0; i < 256; i++) { x[i] = (i * 7 + run) % 13 + run * 100; want += x[i]; }
            long dx = upload(x);
            p.ptr(0, dx).ptr(1, out).i32(2, 256).i32(3, 1);
            EMU.launch(k, Dim3.of(1), Dim3.of(256), 0, p);
            assertEquals(want, download(out, 1)[0], "tree sum with barriers");
            // without barriers, on other data (so stale shared memory of the run before cannot pass for right)
            for (int i = 0; i < 256; i++) x[i] += 1000;
            EMU.copyToDevice(dx, MemorySegment.ofArray(x), 1024);
            p.i32(3, 0);
            EMU.launch(k, Dim3.of(1), Dim3.of(256), 0, p);
            wrongWithout |= download(out, 1)[0] != want + 256_000;
            EMU.free(dx);
        }
        assertTrue(wrongWithout, "the sum without __syncthreads was right 5 times: the emulator does not run threads concurrently");
        EMU.free(out);
    }

    @Test void warpShufflesAndVotes() {
        int T = 96;
        int[] x = new int[T];
        for (int i = 0; i < T; i++) x[i] = (i * 37) % 101 + (i == 70 ? 500 : 0);
        long dx = EMU.malloc(4L * T), dout = EMU.malloc(28L * T);
        EMU.copyToDevice(dx, MemorySegment.ofArray(x), 4L * T);
        KernelParams p = new KernelParams(arena, Type.PTR, Type.PTR).ptr(0, dx).ptr(1, dout);
        EMU.launch(EMU.kernel("emutest_warp_ops"), Dim3.of(1), Dim3.of(T), 0, p);
        int[] r = new int[7 * T];
        EMU.copyToHost(MemorySegment.ofArray(r), dout, 28L * T);
        for (int w = 0; w < T / 32; w++) {
            int sum = 0, odd = 0, any = 0;
            for (int l = 0; l < 32; l++) { int v = x[32 * w + l]; sum += v; odd |= (v & 1) << l; any |= v > 100 ? 1 : 0; }
            int prefix = 0;
            for (int l = 0; l < 32; l++) {
                int t = 32 * w + l;
                prefix += x[t];
                String at = " (warp " + w + ", lane " + l + ")";
                if (l == 0) assertEquals(sum, r[7 * t], "__shfl_down_sync tree sum" + at);
                assertEquals(sum, r[7 * t + 1], "__shfl_xor_sync butterfly sum" + at);
                assertEquals(prefix, r[7 * t + 2], "__shfl_up_sync inclusive scan" + at);
                assertEquals(x[32 * w + 5], r[7 * t + 3], "__shfl_sync broadcast of lane 5" + at);
                assertEquals(odd, r[7 * t + 4], "__ballot_sync" + at);
                assertEquals(any | 2, r[7 * t + 5], "__any_sync / __all_sync" + at);
                assertEquals(x[t ^ 1], r[7 * t + 6], "__shfl_xor_sync width 16" + at);
            }
        }
        EMU.free(dx);
        EMU.free(dout);
    }

    @Test void transposeThroughSharedMemory() {
        int R = 45, C = 70;
        float[] x = new float[R * C];
        for (int i = 0; i < x.length; i++) x[i] = i;
        long dx = upload(x), dy = EMU.malloc(4L * R * C);
        KernelParams p = new KernelParams(arena, Type.PTR, Type.PTR, Type.I32, Type.I32, Type.I32).ptr(0, dx).ptr(1, dy).i32(2, R).i32(3, C).i32(4, 1);
        EMU.launch(EMU.kernel("emutest_transpose"), Dim3.of((C + 31) / 32, (R + 31) / 32, 1), Dim3.of(32, 8, 1), 0, p);
        float[] y = download(dy, R * C);
        for (int r = 0; r < R; r++) for (int c = 0; c < C; c++) assertEquals(x[r * C + c], y[c * R + r], "y[" + c + "][" + r + "]");
        // without the barrier threads read tile entries other threads have not written yet (new data
        // each run, so what the tile held from the run before is wrong too)
        boolean wrong = false;
        for (int run = 1; run <= 5 && !wrong; run++) {
            for (int i = 0; i < x.length; i++) x[i] = i + run * 10_000;
            EMU.copyToDevice(dx, MemorySegment.ofArray(x), 4L * x.length);
            p.i32(4, 0);
            EMU.launch(EMU.kernel("emutest_transpose"), Dim3.of((C + 31) / 32, (R + 31) / 32, 1), Dim3.of(32, 8, 1), 0, p);
            y = download(dy, R * C);
            for (int r = 0; r < R && !wrong; r++) for (int c = 0; c < C; c++) wrong |= x[r * C + c] != y[c * R + r];
        }
        assertTrue(wrong, "transpose without __syncthreads was right 5 times: barriers are not being emulated");
        EMU.free(dx);
        EMU.free(dy);
    }

    @Test void dynamicSharedMemory() {
        float[] x = new float[100];
        float[] want = new float[100];
        for (int i = 0; i < 100; i++) { x[i] = i; want[99 - i] = i; }
        long dx = upload(x), dy = EMU.malloc(400);
        KernelParams p = new KernelParams(arena, Type.PTR, Type.PTR).ptr(0, dx).ptr(1, dy);
        EMU.launch(EMU.kernel("emutest_reverse_dyn"), Dim3.of(1), Dim3.of(100), 400, p);
        assertArrayEquals(want, download(dy, 100));
        EMU.free(dx);
        EMU.free(dy);
    }

    @Test void outOfBoundsWriteIsCaught() {
        // under ASan (mvn -Pasan) the same write aborts the JVM with ASan's report: that mode's proof is the self-test below
        Assumptions.assumeFalse(EMU.isAsan(), "guard zones are replaced by ASan redzones in this build");
        long dx = upload(new float[1000]), dy = EMU.malloc(4000);
        KernelParams p = new KernelParams(arena, Type.PTR, Type.PTR, Type.I32, Type.I32).ptr(0, dx).ptr(1, dy).i32(2, 1000).i32(3, 0);
        Kernel k = EMU.kernel("emutest_offset_copy");
        EMU.launch(k, Dim3.of(4), Dim3.of(256), 0, p); // in bounds: fine
        p.i32(3, -1); // writes y[1..1000]: one float past the end
        var e = assertThrows(CudaException.class, () -> EMU.launch(k, Dim3.of(4), Dim3.of(256), 0, p));
        assertTrue(e.getMessage().contains("out-of-bounds write") && e.getMessage().contains("after"), e.getMessage());
        EMU.free(dx);
        EMU.free(dy);
    }

    @Test void pointerOutsideDeviceMemoryIsRejected() {
        long dy = EMU.malloc(4000);
        MemorySegment host = arena.allocate(4000);
        KernelParams p = new KernelParams(arena, Type.PTR, Type.PTR, Type.I32, Type.I32).ptr(0, host.address()).ptr(1, dy).i32(2, 10).i32(3, 0);
        var e = assertThrows(CudaException.class, () -> EMU.launch(EMU.kernel("emutest_offset_copy"), Dim3.of(1), Dim3.of(32), 0, p));
        assertTrue(e.getMessage().contains("argument 0 is a pointer outside every device allocation"), e.getMessage());
        EMU.free(dy);
    }

    @Test void failuresAreLoud() {
        var unknown = assertThrows(CudaException.class, () -> EMU.kernel("conv_nonexistent_f32_x"));
        assertTrue(unknown.getMessage().contains("unknown kernel name: conv_nonexistent_f32_x"), unknown.getMessage());
        long dy = EMU.malloc(4096);
        KernelParams p = new KernelParams(arena, Type.PTR).ptr(0, dy);
        var bad = assertThrows(CudaException.class, () -> EMU.launch(EMU.kernel("emutest_lying_nosync"), Dim3.of(1), Dim3.of(2048), 0, p));
        assertTrue(bad.getMessage().contains("bad launch configuration"), bad.getMessage());
        var lie = assertThrows(CudaException.class, () -> EMU.launch(EMU.kernel("emutest_lying_nosync"), Dim3.of(1), Dim3.of(32), 0, p));
        assertTrue(lie.getMessage().contains("registered NOSYNC"), lie.getMessage());
        assertThrows(CudaException.class, () -> EMU.copyToHost(MemorySegment.ofArray(new float[2000]), dy, 8000));
        EMU.free(dy);
        assertThrows(CudaException.class, () -> EMU.free(dy));
    }

    @Test void missingLibraryIsNamed() {
        String old = System.getProperty("jcnn.emu.lib");
        try {
            System.setProperty("jcnn.emu.lib", "/nonexistent/libjcnn_emu.so");
            var e = assertThrows(CudaException.class, EmuDevice::locate);
            assertEquals("-Djcnn.emu.lib=/nonexistent/libjcnn_emu.so: no such file", e.getMessage());
        } finally {
            if (old == null) System.clearProperty("jcnn.emu.lib"); else System.setProperty("jcnn.emu.lib", old);
        }
    }

    @Test void kernelParamsAreOneNativeBlockUpdatedInPlace() {
        KernelParams p = new KernelParams(arena, Type.PTR, Type.I32, Type.I64, Type.F32);
        MemorySegment argv = p.argv();
        p.ptr(0, 0x1234_5678_9abcL).i32(1, -7).i64(2, 1L << 40).f32(3, 1.5f);
        assertEquals(argv, p.argv(), "argv is allocated once");
        MemorySegment a = argv.reinterpret(32);
        assertEquals(0x1234_5678_9abcL, a.getAtIndex(ValueLayout.ADDRESS, 0).reinterpret(8).get(ValueLayout.JAVA_LONG, 0));
        assertEquals(-7, a.getAtIndex(ValueLayout.ADDRESS, 1).reinterpret(4).get(ValueLayout.JAVA_INT, 0));
        assertEquals(1L << 40, a.getAtIndex(ValueLayout.ADDRESS, 2).reinterpret(8).get(ValueLayout.JAVA_LONG, 0));
        assertEquals(1.5f, a.getAtIndex(ValueLayout.ADDRESS, 3).reinterpret(4).get(ValueLayout.JAVA_FLOAT, 0));
        assertThrows(IllegalArgumentException.class, () -> p.i32(0, 1), "type is checked");
    }

    /** The build runs target/native/emu_selftest_asan; this repeats its out-of-bounds-read proof in the test report. */
    @Test void asanSelfTestCatchesOutOfBoundsRead() throws Exception {
        Path bin = Path.of("target/native/emu_selftest_asan");
        assertTrue(Files.isExecutable(bin), bin + " missing: native/build.sh builds it");
        ProcessBuilder pb = new ProcessBuilder(bin.toString(), "oob-child").redirectErrorStream(true);
        pb.environment().put("ASAN_OPTIONS", "detect_leaks=0");
        Process proc = pb.start();
        String out = new String(proc.getInputStream().readAllBytes());
        assertTrue(proc.waitFor(60, TimeUnit.SECONDS));
        assertNotEquals(0, proc.exitValue(), out);
        assertTrue(out.contains("heap-buffer-overflow") && out.contains("READ of size 4"), out);
    }
}
