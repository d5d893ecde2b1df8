package jcnn.cli;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import jcnn.compile.CompiledModel;
import jcnn.compile.Plan;
import jcnn.graph.Graph;
import jcnn.graph.Node;
import jcnn.tensor.Tensor;

/**
 * {@code run NET --profile}: where the time of one inference goes. The model's {@link Plan} is run
 * step by step ({@link Plan#runStep}), System.nanoTime around each step, for {@code iters}
 * iterations after a warm-up; each step's time is its median over the iterations. Each iteration
 * also times one whole {@code run} (input copy, the steps, output copy), whose median is the
 * measured total that the step medians are set against. Prints the steps in plan order with their
 * share of the steps' sum, the costliest steps sorted, and the time per op kind.
 */
final class Profile {
    private Profile() {}

    /** One step: its node name, op (as {@code info} writes it), MACs and median time. */
    record StepTime(int index, String name, String op, long macs, double ms) {}

    /** Whole-model warm-up before any step is timed. */
    static final long WARM_NS = 3_000_000_000L;

    record Result(List<StepTime> steps, double stepsMs, double totalMs, int iters) {}

    static Result measure(CompiledModel m, Tensor in, Tensor out, int iters, int warmup) {
        Plan plan = m.plan(in.n());
        int n = plan.steps();
        m.run(in, out); // fills the arena's input and every activation
        // JIT warm-up: the vector kernels reach C2 only after tens of runs, and a step timed while C2
        // recompiles it reads up to 10x slow. At least WARM_NS and `warmup` runs, then until the JIT
        // has compiled nothing for Interleaved.QUIET_NS (at most Interleaved.MAX_WARMUP_NS).
        var jit = new Interleaved.JitWatch(Interleaved.QUIET_NS);
        for (int w = 0; ; w++) {
            boolean settled = jit.settled();
            if (w >= Math.max(1, warmup) && jit.elapsedNs() >= WARM_NS && settled) break;
            m.run(in, out);
        }
        for (int i = 0; i < n; i++) plan.runStep(i);
        long[][] ns = new long[n][iters];
        long[] total = new long[iters];
        for (int it = 0; it < iters; it++) {
            for (int i = 0; i < n; i++) {
                long t0 = System.nanoTime();
                plan.runStep(i);
                ns[i][it] = System.nanoTime() - t0;
            }
            long t0 = System.nanoTime();
            m.run(in, out);
            total[it] = System.nanoTime() - t0;
        }
        Graph g = plan.graph();
        List<Node> nodes = new ArrayList<>();
        for (Node node : g.nodes()) if (!plan.memory().isView(node.id())) nodes.add(node); // the steps, in plan order
        if (nodes.size() != n) throw new IllegalStateException("plan has " + n + " steps but " + nodes.size() + " non-view nodes");
        List<StepTime> steps = new ArrayList<>();
        double sum = 0;
        for (int i = 0; i < n; i++) {
            Node node = nodes.get(i);
            double ms = median(ns[i]) / 1e6;
            sum += ms;
            steps.add(new StepTime(i, node.name(), InfoCommand.describe(node.op()), g.macs(node), ms));
        }
        return new Result(steps, sum, median(total) / 1e6, iters);
    }

    private static double median(long[] v) {
        long[] s = v.clone();
        Arrays.sort(s);
        int k = s.length / 2;
        return s.length % 2 == 1 ? s[k] : (s[k - 1] + s[k]) / 2.0;
    }

    /** Time per op kind (the op's first word: conv, dwconv, maxpool...), costliest first. */
    static List<Map.Entry<String, double[]>> byOp(Result r) {
        Map<String, double[]> m = new LinkedHashMap<>(); // kind -> {ms, steps, macs}
        for (StepTime s : r.steps()) {
            String kind = s.op().split(" ", 2)[0];
            double[] a = m.computeIfAbsent(kind, k -> new double[3]);
            a[0] += s.ms();
            a[1]++;
            a[2] += s.macs();
        }
        List<Map.Entry<String, double[]>> l = new ArrayList<>(m.entrySet());
        l.sort(Comparator.comparingDouble((Map.Entry<String, double[]> e) -> e.getValue()[0]).reversed());
        return l;
    }

    static void print(Result r, String header, int top, PrintStream out) {
        out.println(header);
        out.printf("%d steps, median of %d iterations each; steps sum %.3f ms, measured whole run p50 %.3f ms (%+.1f%%: input/output copies and timing)%n",
            r.steps().size(), r.iters(), r.stepsMs(), r.totalMs(), 100 * (r.totalMs() - r.stepsMs()) / r.totalMs());
        int w = 4;
        for (StepTime s : r.steps()) w = Math.max(w, s.name().length());
        String fmt = "%4s  %-" + w + "s  %-34s %10s %7s %9s%n";
        out.printf(fmt, "#", "step", "op", "time ms", "%", "GMAC/s");
        for (StepTime s : r.steps()) row(out, fmt, s, r);
        out.printf(fmt, "", "total (sum of steps)", "", String.format("%.3f", r.stepsMs()), "100.0", "");
        out.println();
        out.printf("top %d steps by time:%n", Math.min(top, r.steps().size()));
        out.printf(fmt, "#", "step", "op", "time ms", "%", "GMAC/s");
        List<StepTime> sorted = new ArrayList<>(r.steps());
        sorted.sort(Comparator.comparingDouble(StepTime::ms).reversed());
        for (StepTime s : sorted.subList(0, Math.min(top, sorted.size()))) row(out, fmt, s, r);
        out.println();
        out.println("by op kind:");
        out.printf("%-16s %6s %10s %7s %9s%n", "op", "steps", "time ms", "%", "GMAC/s");
        for (var e : byOp(r)) {
            double[] a = e.getValue();
            out.printf("%-16s %6d %10.3f %7.1f %9s%n", e.getKey(), (long) a[1], a[0], 100 * a[0] / r.stepsMs(), gmacs((long) a[2], a[0]));
        }
    }

    private static void row(PrintStream out, String fmt, StepTime s, Result r) {
        String op = s.op().length() > 34 ? s.op().substring(0, 33) + "~" : s.op();
        out.printf(fmt, s.index(), s.name(), op, String.format("%.3f", s.ms()), String.format("%.1f", 100 * s.ms() / r.stepsMs()), gmacs(s.macs(), s.ms()));
    }

    private static String gmacs(long macs, double ms) { return macs == 0 || ms <= 0 ? "" : String.format("%.1f", macs / ms / 1e6); }

    static String json(Result r, JsonOut j) {
        j.kv("iters", r.iters()).kv("steps_sum_ms", r.stepsMs()).kv("total_p50_ms", r.totalMs());
        j.key("steps").arr();
        for (StepTime s : r.steps()) {
            j.obj().kv("index", s.index()).kv("name", s.name()).kv("op", s.op()).kv("macs", s.macs()).kv("ms", s.ms())
                .kv("pct", 100 * s.ms() / r.stepsMs()).end();
        }
        j.endArr().key("by_op").arr();
        for (var e : byOp(r)) {
            double[] a = e.getValue();
            j.obj().kv("op", e.getKey()).kv("steps", (long) a[1]).kv("ms", a[0]).kv("pct", 100 * a[0] / r.stepsMs()).kv("macs", (long) a[2]).end();
        }
        return j.endArr().end().toString();
    }
}
