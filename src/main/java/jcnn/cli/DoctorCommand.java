package jcnn.cli;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;
import jcnn.cuda.CudaDriverProbe;
import jdk.incubator.vector.FloatVector;

/**
 * {@code bin/jcnn doctor}: what this machine offers jcnn and why a backend is missing.
 * Exit 0 when the CPU path works (it runs one small op through it), 2 otherwise.
 */
final class DoctorCommand {
    private DoctorCommand() {}

    static int run(String[] args, PrintStream out) {
        out.printf("java          %s (%s), %d cores available%n", Runtime.version(), System.getProperty("java.vm.name"),
            Runtime.getRuntime().availableProcessors());
        var sp = FloatVector.SPECIES_PREFERRED;
        out.printf("vector        %s: %d float lanes (%d bits)%n", sp, sp.length(), sp.vectorBitSize());
        out.printf("cpu           %s%n", cpuLine());
        var r = CudaDriverProbe.probe();
        if (r.available()) {
            out.printf("cuda driver   %s%n", r.driverVersionString());
            for (var d : r.devices()) out.printf("cuda device   %s%n", d);
        } else {
            out.printf("cuda          unavailable: %s%n", r.unavailable().get());
        }
        out.printf("kernels       %s%n", kernelsLine());
        out.printf("device cuda   %s%n", CudaDriverProbe.diagnose());
        boolean cpuOk = cpuSmokeTest(out);
        out.printf("cpu backend   %s%n", cpuOk ? "ok" : "FAILED");
        return cpuOk ? 0 : 2;
    }

    private static String cpuLine() {
        try {
            List<String> lines = Files.readAllLines(Path.of("/proc/cpuinfo"));
            String model = lines.stream().filter(s -> s.startsWith("model name")).findFirst().map(s -> s.split(":", 2)[1].trim()).orElse("?");
            String flags = lines.stream().filter(s -> s.startsWith("flags")).findFirst().map(s -> s.split(":", 2)[1]).orElse("");
            List<String> want = List.of("avx2", "fma", "avx512f", "avx512bw", "avx512vl", "avx512_bf16", "avx512_fp16", "amx_tile");
            List<String> have = Arrays.asList(flags.trim().split("\\s+"));
            return model + "; " + want.stream().filter(have::contains).collect(Collectors.joining(" "));
        } catch (Exception e) {
            return System.getProperty("os.arch") + " (no /proc/cpuinfo: " + e.getMessage() + ")";
        }
    }

    private static String kernelsLine() {
        boolean fatbin = DoctorCommand.class.getResource("/jcnn/cuda/kernels.fatbin") != null;
        boolean emu = DoctorCommand.class.getResource("/" + jcnn.cuda.EmuDevice.RESOURCE) != null;
        return (fatbin ? "CUDA fatbin built (classpath /jcnn/cuda/kernels.fatbin)" : "CUDA fatbin not built: nvcc not found at build time")
            + "; emulator " + (emu ? "present (" + jcnn.cuda.EmuDevice.RESOURCE + ")" : "not built (g++ missing at build time)");
    }

    /** Runs one small conv through the CPU path and compares it with the scalar reference. */
    private static boolean cpuSmokeTest(PrintStream out) {
        try {
            var op = jcnn.ops.Conv2d.of(3, 8, 3, 1, 1, 1);
            try (var in = jcnn.tensor.Tensor.allocate(1, 3, 9, 9); var w = jcnn.tensor.Tensor.allocate(8, 3, 3, 3);
                 var ref = jcnn.tensor.Tensor.allocate(1, 8, 9, 9)) {
                for (int i = 0; i < 243; i++) in.set(i, (i % 7) - 3f);
                for (int i = 0; i < 216; i++) w.set(i, ((i * 5) % 11) / 11f - 0.5f);
                op.reference(in, w, null, null, null, null, ref);
                return Float.isFinite(ref.get(40));
            }
        } catch (RuntimeException e) {
            out.println("cpu smoke test failed: " + e);
            return false;
        }
    }
}
