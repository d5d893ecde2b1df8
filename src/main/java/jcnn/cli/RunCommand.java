package jcnn.cli;

import java.io.PrintStream;
import java.util.Arrays;
import java.util.Set;
import jcnn.compile.Model;
import jcnn.graph.Graph;
import jcnn.graph.Weights;
import jcnn.models.Zoo;
import jcnn.tensor.Tensor;

/**
 * {@code bin/jcnn run NET|FILE.onnx [--device cpu|emu|cuda] [--batch N] [--size S] [--weights FILE] [--iters N]
 * [--warmup N] [--threads T] [--profile] [--json]}: compiles one network, times {@code iters} runs after
 * {@code warmup} runs (System.nanoTime around each run), prints p50/p90/p99 latency, images/s and
 * the top-5 classes of image 0 for a fixed deterministic input. With {@code --profile}, the
 * per-step time table instead ({@link Profile}; 30 iterations unless --iters). An ONNX file is
 * imported ({@link jcnn.io.onnx.OnnxImporter}) and runs with its own weights; --size sets its input
 * size where the file leaves it free.
 */
final class RunCommand {
    private RunCommand() {}

    static int run(String[] args, PrintStream out, PrintStream err) {
        var a = new CliArgs("run", args, Set.of("--device", "--batch", "--size", "--weights", "--iters", "--warmup", "--threads"),
            Set.of("--json", "--profile"));
        if (a.positionals().size() != 1) throw new UserError("run needs exactly one network id or .onnx file, e.g. bin/jcnn run mobilenet_v2 (ids: bin/jcnn zoo)");
        String device = a.device(), what = a.positionals().get(0);
        boolean onnx = what.endsWith(".onnx");
        int batch = a.integer("--batch", 1, 1);
        Graph g;
        Weights w;
        String name;
        int size;
        if (onnx) { // an imported model: its initializers are the weights
            if (a.has("--weights")) throw new UserError("--weights does not apply to an ONNX file: its initializers are the weights");
            var im = OnnxCli.importFile(what, a.has("--size") ? a.integer("--size", 224, 1) : null);
            jcnn.tensor.Shape in = im.graph().inputShape();
            name = java.nio.file.Path.of(what).getFileName().toString();
            size = in.h();
            g = batch == in.n() ? im.graph() : im.graph().withInput(in.withN(batch));
            w = im.weights();
        } else {
            Zoo.Spec spec = NetSetup.spec(what);
            name = spec.name();
            size = a.integer("--size", spec.defaultSize(), 1);
            g = NetSetup.build(spec, batch, size);
            w = NetSetup.weights(g, a.str("--weights", null));
        }
        boolean profile = a.flag("--profile");
        int iters = a.integer("--iters", profile ? 30 : 20, 1);
        int warmup = a.integer("--warmup", 3, 0);
        int threads = a.integer("--threads", jcnn.compile.Backends.defaultThreads(), 1);
        boolean json = a.flag("--json");

        long start = System.nanoTime();
        try (Model m = DeviceOption.compile(device, g, w, threads);
             Tensor in = NetSetup.input(g.inputShape());
             Tensor outT = Tensor.allocate(m.outputShape(batch))) {
            if (profile) {
                if (!(m instanceof jcnn.compile.CompiledModel cm)) throw new UserError("--profile times the plan's steps on the CPU; device " + device + " has no per-step profile yet");
                err.printf("jcnn run: profiling %s, %d iterations...%n", name, iters);
                Profile.Result p = Profile.measure(cm, in, outT, iters, warmup);
                if (json) {
                    out.println(Profile.json(p, new JsonOut().obj().kv("net", name).kv("device", device)
                        .kv("backend", m.backendName()).kv("batch", batch).kv("size", size).kv("threads", threads)));
                } else {
                    Profile.print(p, String.format("%s  batch %d  %dx%d  %s (%s, %d threads)  per-step profile", name, batch, size,
                        size, device, m.backendName(), threads), 15, out);
                }
                return 0;
            }
            m.run(in, outT); // plans and warms up; its time estimates the rest
            double firstS = (System.nanoTime() - start) / 1e9;
            long t = System.nanoTime();
            if (warmup > 1) m.run(in, outT);
            double perRunS = warmup > 1 ? (System.nanoTime() - t) / 1e9 : firstS;
            double restS = perRunS * (Math.max(0, warmup - 2) + iters);
            if (firstS + restS > 2) {
                err.printf("jcnn run: %s batch %d at %dx%d on %s: ~%.0f s (%d warm-up + %d timed runs of ~%.0f ms)%n",
                    name, batch, size, size, device, restS, warmup, iters, perRunS * 1e3);
            }
            for (int i = 2; i < warmup; i++) m.run(in, outT);
            long[] ns = new long[iters];
            for (int i = 0; i < iters; i++) {
                long t0 = System.nanoTime();
                m.run(in, outT);
                ns[i] = System.nanoTime() - t0;
            }
            Latency l = Latency.of(ns);
            int[] top5 = NetSetup.topK(outT, 5);
            if (json) {
                out.println(new JsonOut().obj()
                    .kv("net", name).kv("device", device).kv("backend", m.backendName()).kv("batch", batch).kv("size", size)
                    .kv("threads", threads).kv("weights", a.str("--weights", "jcnn.models.Init(seed=" + NetSetup.WEIGHT_SEED + ")"))
                    .kv("warmup", warmup).kv("iters", iters)
                    .kv("p50_ms", l.p50Ms()).kv("p90_ms", l.p90Ms()).kv("p99_ms", l.p99Ms())
                    .kv("min_ms", l.minMs()).kv("mean_ms", l.meanMs()).kv("max_ms", l.maxMs())
                    .kv("images_per_s", l.imagesPerSecond(batch)).kv("arena_bytes", m.arenaBytes(batch))
                    .key("top5").array(top5).end());
            } else {
                out.printf("%s  batch %d  %dx%d  %s (%s, %d threads)  %d runs after %d warm-up%n", name, batch, size, size,
                    device, m.backendName(), threads, iters, warmup);
                out.printf("latency  p50 %.3f ms  p90 %.3f ms  p99 %.3f ms  (min %.3f, max %.3f)%n", l.p50Ms(), l.p90Ms(), l.p99Ms(), l.minMs(), l.maxMs());
                out.printf("throughput  %.1f images/s%n", l.imagesPerSecond(batch));
                out.printf("top5  %s%n", Arrays.toString(top5));
            }
        }
        return 0;
    }
}
