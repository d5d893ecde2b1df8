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
import jcnn.models.Zoo;
import jcnn.tensor.Tensor;

/**
 * {@code bin/jcnn bench [--nets a,b] [--device cpu|emu|cuda] [--batch N] [--size S] [--threads T]
 * [--iters N] [--budget SECONDS] [--out DIR] [--json]}: batch-1 latency of every family's default
 * variant at 224x224 on the best device present. Per net: compile, warm up (at least 3 runs and
 * 1 s), then time runs (System.nanoTime around each run) until the per-net budget (default 20 s)
 * is spent, at least 10 of them, or exactly {@code --iters}. Prints a table and writes the raw
 * summary (machine, JDK, date, git commit, per-net percentiles) as JSON into DIR.
 */
final class BenchCommand {
    private BenchCommand() {}

    /** The five families' default variants (ShuffleNet and MobileNet twice: v1 and v2). */
    static final List<String> DEFAULT_NETS = List.of("densenet121", "resnext50_32x4d", "squeezenet1_1", "mobilenet_v1",
        "mobilenet_v2", "shufflenet_v1", "shufflenet_v2_x1_0");

    record Row(String net, long params, long macs, int iters, Latency lat, long arenaBytes) {}

    static int run(String[] args, PrintStream out, PrintStream err) {
        var a = new CliArgs("bench", args, Set.of("--nets", "--device", "--batch", "--size", "--threads", "--iters", "--budget", "--out"),
            Set.of("--json"));
        if (!a.positionals().isEmpty()) throw new UserError("bench takes no positional arguments, got " + a.positionals());
        String device = a.device();
        int batch = a.integer("--batch", 1, 1);
        int size = a.integer("--size", 224, 1);
        int threads = a.integer("--threads", jcnn.compile.Backends.defaultThreads(), 1);
        int fixedIters = a.integer("--iters", 0, 1);
        double budgetS = a.number("--budget", 20);
        Path dir = Path.of(a.str("--out", "bench/results"));
        boolean json = a.flag("--json");
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
        for (String net : nets) {
            Zoo.Spec spec = NetSetup.spec(net);
            Graph g = NetSetup.build(spec, batch, size);
            err.printf("jcnn bench: %s (%d/%d) batch %d %dx%d on %s...%n", spec.name(), rows.size() + 1, nets.size(), batch, size, size, device);
            try (Model m = DeviceOption.compile(device, g, NetSetup.weights(g, null), threads);
                 Tensor in = NetSetup.input(g.inputShape());
                 Tensor o = Tensor.allocate(m.outputShape(batch))) {
                long w0 = System.nanoTime();
                for (int i = 0; i < 3 || System.nanoTime() - w0 < 1_000_000_000L; i++) m.run(in, o);
                long[] ns = new long[fixedIters > 0 ? fixedIters : 1 << 16];
                int n = 0;
                long t0 = System.nanoTime();
                while (fixedIters > 0 ? n < fixedIters : (n < 10 || System.nanoTime() - t0 < budgetS * 1e9) && n < ns.length) {
                    long s = System.nanoTime();
                    m.run(in, o);
                    ns[n++] = System.nanoTime() - s;
                }
                rows.add(new Row(spec.name(), g.params(), g.macs(), n, Latency.of(java.util.Arrays.copyOf(ns, n)), m.arenaBytes(batch)));
            }
        }

        out.printf("%-20s %12s %9s %10s %10s %10s %6s%n", "net", "params", "MACs", "p50 ms", "p99 ms", "images/s", "runs");
        for (Row r : rows) {
            out.printf("%-20s %,12d %8.3fG %10.2f %10.2f %10.1f %6d%n", r.net(), r.params(), r.macs() / 1e9 / batch,
                r.lat().p50Ms(), r.lat().p99Ms(), r.lat().imagesPerSecond(batch), r.iters());
        }
        String report = report(rows, device, batch, size, threads);
        String stamp = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss").withZone(ZoneOffset.UTC).format(Instant.now());
        Path file = dir.resolve("bench-" + device + "-" + stamp + ".json");
        try {
            Files.createDirectories(dir);
            Files.writeString(file, report + "\n");
        } catch (IOException e) {
            throw new UserError("cannot write " + file + ": " + e.getMessage(), e);
        }
        err.println("jcnn bench: wrote " + file);
        if (json) out.println(report);
        return 0;
    }

    private static String report(List<Row> rows, String device, int batch, int size, int threads) {
        JsonOut j = new JsonOut().obj();
        j.key("machine").obj().kv("os", System.getProperty("os.name") + " " + System.getProperty("os.version"))
            .kv("arch", System.getProperty("os.arch")).kv("cpu", Machine.cpuModel())
            .kv("cores", Runtime.getRuntime().availableProcessors()).kv("load_average", Machine.loadAverage()).end();
        j.key("jdk").obj().kv("version", Runtime.version().toString()).kv("vm", System.getProperty("java.vm.name"))
            .kv("vector_bits", jdk.incubator.vector.FloatVector.SPECIES_PREFERRED.vectorBitSize()).end();
        j.kv("date", Instant.now().toString()).kv("git_commit", Machine.gitCommit());
        j.kv("device", device).kv("batch", batch).kv("size", size).kv("threads", threads).kv("weights", "jcnn.models.Init(seed=" + NetSetup.WEIGHT_SEED + ")");
        j.key("nets").arr();
        for (Row r : rows) {
            Latency l = r.lat();
            j.obj().kv("net", r.net()).kv("params", r.params()).kv("macs", r.macs()).kv("runs", r.iters())
                .kv("p50_ms", l.p50Ms()).kv("p90_ms", l.p90Ms()).kv("p99_ms", l.p99Ms()).kv("min_ms", l.minMs())
                .kv("mean_ms", l.meanMs()).kv("max_ms", l.maxMs()).kv("images_per_s", l.imagesPerSecond(batch))
                .kv("arena_bytes", r.arenaBytes()).end();
        }
        return j.endArr().end().toString();
    }
}
