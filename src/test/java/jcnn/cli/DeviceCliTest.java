package jcnn.cli;

import static org.junit.jupiter.api.Assertions.*;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import java.util.Map;
import jcnn.cli.RunBenchCommandTest.Result;
import jcnn.cuda.CudaDriverProbe;
import org.junit.jupiter.api.Test;

/** {@code --device emu|cuda} of run, bench and check. */
class DeviceCliTest {
    static Result cli(String... a) { return RunBenchCommandTest.cli(a); }

    @Test
    void runOnEmuGivesTheCpuTop5() {
        Result emu = cli("run", "squeezenet1_1", "--device", "emu", "--size", "32", "--iters", "1", "--warmup", "0", "--json");
        assertEquals(0, emu.code(), emu.err());
        Result cpu = cli("run", "squeezenet1_1", "--size", "32", "--iters", "1", "--warmup", "0", "--json");
        var e = (Map<?, ?>) jcnn.io.Json.parse(emu.out().trim());
        assertEquals("emu", e.get("device"));
        assertEquals(((Map<?, ?>) jcnn.io.Json.parse(cpu.out().trim())).get("top5"), e.get("top5"));
    }

    @Test
    void cudaWithoutAGpuExits2WithTheDiagnostic() {
        assumeFalse(CudaDriverProbe.probe().available(), "this machine has a GPU");
        for (String[] a : new String[][] {{"run", "mobilenet_v2", "--device", "cuda", "--size", "32"},
                {"bench", "--nets", "mobilenet_v2", "--device", "cuda", "--size", "32", "--iters", "1"},
                {"check", "mobilenet_v2", "--device", "cuda", "--size", "32"}}) {
            Result r = cli(a);
            assertEquals(2, r.code(), a[0] + ": " + r.err());
            String err = r.err().strip();
            assertFalse(err.contains("\n"), a[0] + " printed more than one line: " + err);
            assertTrue(err.startsWith("jcnn " + a[0] + ": device cuda: CUDA unavailable: "), err);
            assertTrue(err.contains(CudaDriverProbe.probe().unavailable().get()), err);
        }
    }

    @Test
    void checkOnEmuAgainstOnnxRuntime() {
        Result r = cli("check", "shufflenet_v2_x1_0", "--device", "emu", "--size", "32", "--json");
        assertEquals(0, r.code(), r.out() + r.err());
        var m = (Map<?, ?>) jcnn.io.Json.parse(r.out().trim());
        assertEquals("emu", m.get("device"));
        assertEquals(Boolean.TRUE, m.get("pass"));
    }

    @Test
    void unknownDeviceIsAUserError() {
        Result r = cli("run", "squeezenet1_1", "--device", "tpu");
        assertEquals(2, r.code());
        assertTrue(r.err().contains("unknown device 'tpu' (cpu, emu, cuda)"), r.err());
    }
}
