package jcnn.cli;

import static org.junit.jupiter.api.Assertions.*;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RunBenchCommandTest {
    record Result(int code, String out, String err) {}

    static Result cli(String... args) {
        var o = new ByteArrayOutputStream();
        var e = new ByteArrayOutputStream();
        int code = Main.run(args, new PrintStream(o, true), new PrintStream(e, true));
        return new Result(code, o.toString(), e.toString());
    }

    @Test
    void runPrintsLatencyAndTop5AsJson() {
        Result r = cli("run", "squeezenet1_1", "--size", "32", "--iters", "3", "--warmup", "1", "--json");
        assertEquals(0, r.code(), r.err());
        for (String k : new String[] {"\"p50_ms\"", "\"p90_ms\"", "\"p99_ms\"", "\"top5\":["}) assertTrue(r.out().contains(k), r.out());
        Object parsed = jcnn.io.Json.parse(r.out().trim());
        assertTrue(parsed instanceof java.util.Map<?, ?> m && ((java.util.List<?>) m.get("top5")).size() == 5, r.out());
        // the input and the synthetic weights are deterministic, so the top-5 is too
        Result again = cli("run", "squeezenet1_1", "--size", "32", "--iters", "1", "--warmup", "0", "--json");
        assertEquals(((java.util.Map<?, ?>) parsed).get("top5"), ((java.util.Map<?, ?>) jcnn.io.Json.parse(again.out().trim())).get("top5"));
    }

    @Test
    void runLoadsSafetensorsWeights(@TempDir Path dir) throws Exception {
        var g = jcnn.models.Zoo.build("squeezenet1_1", 32);
        Path f = dir.resolve("w.safetensors");
        jcnn.io.Safetensors.save(jcnn.models.Init.init(g, NetSetup.WEIGHT_SEED), f);
        Result file = cli("run", "squeezenet1_1", "--size", "32", "--iters", "1", "--warmup", "0", "--weights", f.toString(), "--json");
        Result synthetic = cli("run", "squeezenet1_1", "--size", "32", "--iters", "1", "--warmup", "0", "--json");
        assertEquals(0, file.code(), file.err());
        var a = (java.util.Map<?, ?>) jcnn.io.Json.parse(file.out().trim());
        var b = (java.util.Map<?, ?>) jcnn.io.Json.parse(synthetic.out().trim());
        assertEquals(b.get("top5"), a.get("top5"), "the same weights through a file give the same classes");
        Path other = dir.resolve("other.safetensors");
        jcnn.io.Safetensors.save(jcnn.models.Init.init(jcnn.models.Zoo.build("mobilenet_v2", 32), 1), other);
        Result wrong = cli("run", "squeezenet1_1", "--size", "32", "--weights", other.toString());
        assertEquals(2, wrong.code());
        assertTrue(wrong.err().contains("do not fit"), wrong.err());
    }

    @Test
    void userErrorsExit2WithOneLine() {
        String[][] bad = {
            {"run", "no_such_net"}, {"run", "densenet121", "--size", "8"}, {"run", "mobilenet_v2", "--weights", "/no/such/file"},
            {"run", "mobilenet_v2", "--device", "tpu"}, {"run", "mobilenet_v2", "--batch", "0"},
            {"run", "mobilenet_v2", "--frobnicate", "1"}, {"run"}, {"bench", "--nets", "nope"}};
        for (String[] a : bad) {
            Result r = cli(a);
            assertEquals(2, r.code(), String.join(" ", a) + ": " + r.err());
            assertEquals(1, r.err().strip().lines().count(), "one line: " + r.err());
            assertFalse(r.err().contains("\tat "), "no stack trace without --verbose: " + r.err());
        }
        // --device cuda without a GPU: DeviceCliTest
    }

    @Test
    void benchWritesTableAndJson(@TempDir Path dir) throws Exception {
        Result r = cli("bench", "--nets", "squeezenet1_1,shufflenet_v2_x0_5", "--size", "32", "--iters", "2", "--out", dir.toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("squeezenet1_1") && r.out().contains("p99 ms"), r.out());
        try (var files = Files.list(dir)) {
            Path f = files.filter(p -> p.toString().endsWith(".json")).findFirst().orElseThrow();
            var m = (java.util.Map<?, ?>) jcnn.io.Json.parse(Files.readString(f));
            assertEquals(2, ((java.util.List<?>) m.get("nets")).size());
            assertNotNull(m.get("git_commit"));
            assertNotNull(m.get("machine"));
        }
    }
}
