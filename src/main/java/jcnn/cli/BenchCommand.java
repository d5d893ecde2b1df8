package jcnn.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import jcnn.compile.Model;
import jcnn.graph.Graph;
import jcnn.graph.Weights;
import jcnn.models.Zoo;
import jcnn.tensor.Tensor;

/**
 * {@code bin/jcnn bench [--nets a,b] [--device cpu|emu|cuda] [--against ort] [--batch N] [--size S] [--threads T]
 * [--iters N] [--budget SECONDS] [--out DIR] [--json]}: batch-1 latency of every family's default
 * variant at 224x224 on the best device present. Per net: compile, warm up (at least 3 runs and
 * 1 s, and until the JIT has been idle for 1 s), then time runs (System.nanoTime around each run) until the per-net budget (default 20 s)
 * is spent, at least 10 of them, or exactly {@code --iters}. With {@code --against ort}, ONNX
 * Runtime runs the exported model (same weights, same input, T intra-op threads) in this process,
 * interleaved with ours in blocks ({@link Interleaved}; the budget is per engine), and the outputs
 * are compared once. Prints a table and writes JSON (machine, JDK, date, git commit, load, per-net
 * percentiles and raw run times) and an SVG chart ({@link BenchChart}) into DIR.
 */
final class BenchCommand {
    private BenchCommand() {}

    /** The five families' default variants (ShuffleNet and MobileNet twice: v1 and v2). */
    static final List<String> DEFAULT_NETS = List.of("densenet121", "resnext50_32x4d", "squeezenet1_1", "mobilenet_v1",
        "mobilenet_v2", "shufflenet_v1", "shufflenet_v2_x1_0");

    /** One network's result; {@code ort}, {@code ortNs} and the diffs are absent (null, NaN) without a peer. */
    record Row(String net, long params, long macs, int iters, Latency lat, long arenaBytes, long[] ns,
               Latency ort, long[] ortNs, double maxAbsDiff, double maxAbsOut) {}

    static int run(String[] args, PrintStream out, PrintStream err) {
        var a = new CliArgs("bench", args, Set.of("--nets", "--device", "--batch", "--size", "--threads", "--iters", "--budget", "--out",
            "--against"), Set.of("--json"));
        if (!a.positionals().isEmpty()) throw new UserError("bench takes no positional arguments, got " + a.positionals());
        String device = a.device();
        int batch = a.integer("--batch", 1, 1);
        int size = a.integer("--size", 224, 1);
        int threads = a.integer("--threads", jcnn.compile.Backends.defaultThreads(), 1);
        int fixedIters = a.integer("--iters", 0, 1);
        double budgetS = a.number("--budget", 20);
        Path dir = Path.of(a.str("--out", "bench/results"));
        boolean json = a.flag("--json");
        boolean ort = against(a);
        List<String> nets = new ArrayList<>();
        if (a.has("--nets")) {
            for (String n : a.str("--nets", "").split(",")) if (!n.isBlank()) nets.add(NetSetup.spec(n.trim()).name());
            if (nets.isEmpty()) throw new UserError("--nets is empty");
        } else {
            for (String n : DEFAULT_NETS) {
                if (Zoo.ids().contains(n)) nets.add(n);
                else err.println("jcnn bench: " + n + " is not in the zoo yet; skipped");
            }
        }

        List<Row> rows = new ArrayList<>();
        String backend = "";
        List<Double> loads = new ArrayList<>(); // load average as each net starts: a busy machine shows here
        double loadStart = Machine.loadAverage();
        for (String net : nets) {
            loads.add(Machine.loadAverage());
            Zoo.Spec spec = NetSetup.spec(net);
            Graph g = NetSetup.build(spec, batch, size);
            err.printf("jcnn bench: %s (%d/%d) batch %d %dx%d on %s%s...%n", spec.name(), rows.size() + 1, nets.size(), batch, size, size,
                device, ort ? " against ONNX Runtime" : "");
            Weights w = NetSetup.weights(g, null);
            try (Model m = DeviceOption.compile(device, g, w, threads);
                 Tensor in = NetSetup.input(g.inputShape());
                 Tensor o = Tensor.allocate(m.outputShape(batch))) {
                Runnable ours = () -> m.run(in, o);
                long arena = m.arenaBytes(batch);
                backend = m.backendName();
                if (!ort) {
                    long[] ns = Interleaved.time(new Runnable[] {ours}, fixedIters, budgetS)[0];
                    rows.add(new Row(spec.name(), g.params(), g.macs(), ns.length, Latency.of(ns), arena, ns, null, null, Double.NaN, Double.NaN));
                } else {
                    rows.add(OrtSide.compare(spec.name(), g, w, in, o, ours, arena, threads, fixedIters, budgetS));
                }
            }
        }

        if (ort) {
            out.printf("%-20s %10s %10s %10s %10s %9s %6s %10s%n", "net", "p50 ms", "p99 ms", "ORT p50", "ORT p99", "ours/ORT", "runs", "max|diff|");
            for (Row r : rows) {
                out.printf("%-20s %10.2f %10.2f %10.2f %10.2f %8.2fx %6d %10.2e%n", r.net(), r.lat().p50Ms(), r.lat().p99Ms(),
                    r.ort().p50Ms(), r.ort().p99Ms(), r.lat().p50Ms() / r.ort().p50Ms(), r.iters(), r.maxAbsDiff());
            }
        } else {
            out.printf("%-20s %12s %9s %10s %10s %10s %6s%n", "net", "params", "MACs", "p50 ms", "p99 ms", "images/s", "runs");
            for (Row r : rows) {
                out.printf("%-20s %,12d %8.3fG %10.2f %10.2f %10.1f %6d%n", r.net(), r.params(), r.macs() / 1e9 / batch,
                    r.lat().p50Ms(), r.lat().p99Ms(), r.lat().imagesPerSecond(batch), r.iters());
            }
        }
        double load = Machine.loadAverage();
        String commit = Machine.gitCommit();
        Instant now = Instant.now();
        String report = report(rows, loads, device, backend, batch, size, threads, ort, loadStart, load, commit, now);
        String stamp = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss").withZone(ZoneOffset.UTC).format(now);
        String base = "bench-" + device + (ort ? "-vs-ort-" : "-") + stamp;
        Path file = dir.resolve(base + ".json"), chart = dir.resolve(base + ".svg");
        String svg = chart(rows, device, batch, size, threads, ort, loadStart, load, commit, now);
        try {
            Files.createDirectories(dir);
            Files.writeString(file, report + "\n");
            Files.writeString(chart, svg);
        } catch (IOException e) {
            throw new UserError("cannot write " + file + ": " + e.getMessage(), e);
        }
        err.println("jcnn bench: wrote " + file + " and " + chart.getFileName());
        if (json) out.println(report);
        return 0;
    }

    /** {@code --against ort} (the only peer); ONNX Runtime must then be on the classpath. */
    private static boolean against(CliArgs a) {
        if (!a.has("--against")) return false;
        String p = a.str("--against", "");
        if (!p.equals("ort")) throw new UserError("unknown peer '" + p + "' for --against (ort)");
        if (!jcnn.io.onnx.OrtProbe.available()) {
            throw new UserError("--against ort needs onnxruntime on the classpath (bin/jcnn puts target/lib/onnxruntime-*.jar there; "
                + "elsewhere add com.microsoft.onnxruntime:onnxruntime 1.23.2)");
        }
        return true;
    }

    private static String chart(List<Row> rows, String device, int batch, int size, int threads, boolean ort, double loadStart, double load,
                                String commit, Instant now) {
        List<BenchChart.Row> bars = new ArrayList<>();
        for (Row r : rows) {
            bars.add(ort ? new BenchChart.Row(r.net(), new double[] {r.lat().p50Ms(), r.ort().p50Ms()}, new double[] {r.lat().p99Ms(), r.ort().p99Ms()})
                : new BenchChart.Row(r.net(), new double[] {r.lat().p50Ms()}, new double[] {r.lat().p99Ms()}));
        }
        String title = "jcnn" + (ort ? " vs ONNX Runtime" : "") + ": latency on " + device + ", batch " + batch + ", " + size + "x" + size
            + ", " + threads + (threads == 1 ? " thread" : " threads");
        String sub = String.format(java.util.Locale.ROOT, "%s, %d cores, JDK %s, load average %.2f at start, %.2f at end, %s, commit %s",
            Machine.cpuModel(), Runtime.getRuntime().availableProcessors(), Runtime.version().feature(), loadStart, load, now.toString().substring(0, 16) + "Z",
            commit.length() > 12 ? commit.substring(0, 12) : commit);
        return BenchChart.svg(title, sub, ort ? List.of("jcnn", "ONNX Runtime") : List.of("jcnn"), bars);
    }

    private static String report(List<Row> rows, List<Double> loads, String device, String backend, int batch, int size, int threads,
                                 boolean ort, double loadStart, double load, String commit, Instant now) {
        JsonOut j = new JsonOut().obj();
        j.key("machine").obj().kv("os", System.getProperty("os.name") + " " + System.getProperty("os.version"))
            .kv("arch", System.getProperty("os.arch")).kv("cpu", Machine.cpuModel())
            .kv("cores", Runtime.getRuntime().availableProcessors()).kv("load_average", load).kv("load_average_at_start", loadStart).end();
        j.key("jdk").obj().kv("version", Runtime.version().toString()).kv("vm", System.getProperty("java.vm.name"))
            .kv("vector_bits", jdk.incubator.vector.FloatVector.SPECIES_PREFERRED.vectorBitSize()).end();
        j.kv("date", now.toString()).kv("git_commit", commit);
        j.kv("device", device).kv("backend", backend).kv("batch", batch).kv("size", size).kv("threads", threads).kv("weights", "jcnn.models.Init(seed=" + NetSetup.WEIGHT_SEED + ")");
        j.kv("input", "NetSetup.input: sin(0.37*i + 0.11*n)");
        j.kv("method", "warm-up: single runs alternating between engines until each has >= " + Interleaved.WARMUP_RUNS + " runs and >= 1 s and the JIT has compiled nothing for 1 s (at most 30 s); "
            + "timed: alternating blocks per engine of >= " + Interleaved.BLOCK + " runs and >= 0.25 s (from the warm-up mean), the same count for each, "
            + "before each block >= " + Interleaved.SETTLE_MS + " ms idle and until the process used < 25% of a core over " + Interleaved.SETTLE_STEP_MS
            + " ms (at most " + Interleaved.SETTLE_MAX_MS + " ms); System.nanoTime around each run");
        if (ort) {
            j.key("peer").obj().kv("name", "onnxruntime").kv("version", OrtSide.version()).kv("intra_op_threads", threads)
                .kv("inter_op_threads", 1).kv("execution_mode", "sequential").kv("graph_optimization", "all")
                .kv("model", "jcnn.io.onnx.OnnxExporter, opset 17, the same weights and input").end();
        }
        j.key("nets").arr();
        for (int i = 0; i < rows.size(); i++) {
            Row r = rows.get(i);
            j.obj().kv("net", r.net()).kv("params", r.params()).kv("macs", r.macs()).kv("runs", r.iters()).kv("load_average_before", loads.get(i));
            latency(j, r.lat(), batch).kv("arena_bytes", r.arenaBytes());
            if (ort) {
                j.kv("ratio_p50", r.lat().p50Ms() / r.ort().p50Ms()).kv("ratio_p99", r.lat().p99Ms() / r.ort().p99Ms())
                    .kv("max_abs_diff", r.maxAbsDiff()).kv("max_abs_output", r.maxAbsOut());
                latency(j.key("ort").obj().kv("runs", r.ortNs().length), r.ort(), batch).end();
            }
            micros(j.key("latencies_us").obj().key("jcnn"), r.ns());
            if (ort) micros(j.key("ort"), r.ortNs());
            j.end().end();
        }
        return j.endArr().end().toString();
    }

    private static JsonOut latency(JsonOut j, Latency l, int batch) {
        return j.kv("p50_ms", l.p50Ms()).kv("p90_ms", l.p90Ms()).kv("p99_ms", l.p99Ms()).kv("min_ms", l.minMs())
            .kv("mean_ms", l.meanMs()).kv("max_ms", l.maxMs()).kv("images_per_s", l.imagesPerSecond(batch));
    }

    /** The raw run times in microseconds, in the order taken. */
    private static void micros(JsonOut j, long[] ns) {
        j.arr();
        for (long x : ns) j.value((x + 500) / 1000);
        j.endArr();
    }
}
