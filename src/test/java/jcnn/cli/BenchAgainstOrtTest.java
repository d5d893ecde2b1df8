package jcnn.cli;

import static org.junit.jupiter.api.Assertions.*;

import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import javax.xml.parsers.DocumentBuilderFactory;
import jcnn.cli.RunBenchCommandTest.Result;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;
import org.xml.sax.InputSource;

/**
 * bench --against ort, its JSON and SVG, run --profile, and the interleaved timer. Small inputs
 * (32x32) and a few runs: these check the plumbing and the report's shape, never a timing.
 */
class BenchAgainstOrtTest {
    static Result cli(String... args) { return RunBenchCommandTest.cli(args); }

    static Document xml(String s) throws Exception {
        var f = DocumentBuilderFactory.newInstance();
        f.setNamespaceAware(true);
        return f.newDocumentBuilder().parse(new InputSource(new StringReader(s)));
    }

    @Test
    void newFlagsAreParsedAndBadValuesAreOneLineErrors() {
        String[][] bad = {{"bench", "--against", "tflite"}, {"bench", "--against"}, {"bench", "--threads", "0"},
            {"bench", "--threads", "two"}, {"run", "squeezenet1_1", "--profile", "yes"}, {"run", "squeezenet1_1", "--profile=1"}};
        for (String[] a : bad) {
            Result r = cli(a);
            assertEquals(2, r.code(), String.join(" ", a) + ": " + r.err());
            assertEquals(1, r.err().strip().lines().count(), "one line: " + r.err());
        }
        assertTrue(cli("bench", "--against", "tflite").err().contains("unknown peer 'tflite'"));
        var a = new CliArgs("bench", new String[] {"--against", "ort", "--threads", "2", "--nets=a,b"},
            java.util.Set.of("--against", "--threads", "--nets"), java.util.Set.of());
        assertEquals("ort", a.str("--against", null));
        assertEquals(2, a.integer("--threads", 1, 1));
        assertEquals("a,b", a.str("--nets", null));
        var p = new CliArgs("run", new String[] {"mobilenet_v2", "--profile", "--json"}, java.util.Set.of(), java.util.Set.of("--profile", "--json"));
        assertTrue(p.flag("--profile") && p.flag("--json"));
        assertEquals(List.of("mobilenet_v2"), p.positionals());
    }

    @Test
    void benchAgainstOrtWritesJsonWithEveryFieldAndAWellFormedSvg(@TempDir Path dir) throws Exception {
        Result r = cli("bench", "--against", "ort", "--nets", "squeezenet1_1,shufflenet_v2_x0_5", "--size", "32", "--iters", "7",
            "--threads", "2", "--out", dir.toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("ORT p50") && r.out().contains("ours/ORT") && r.out().contains("shufflenet_v2_x0_5"), r.out());
        Path json, svg;
        try (var files = Files.list(dir)) {
            List<Path> l = files.sorted().toList();
            assertEquals(2, l.size(), l.toString());
            json = l.stream().filter(p -> p.toString().endsWith(".json")).findFirst().orElseThrow();
            svg = l.stream().filter(p -> p.toString().endsWith(".svg")).findFirst().orElseThrow();
        }
        var m = (Map<?, ?>) jcnn.io.Json.parse(Files.readString(json));
        for (String k : new String[] {"machine", "jdk", "date", "git_commit", "threads", "batch", "size", "weights", "method", "peer", "nets"}) {
            assertNotNull(m.get(k), k + " in " + m.keySet());
        }
        assertNotNull(((Map<?, ?>) m.get("machine")).get("load_average"));
        assertNotNull(((Map<?, ?>) m.get("machine")).get("cpu"));
        assertNotNull(((Map<?, ?>) m.get("jdk")).get("version"));
        var peer = (Map<?, ?>) m.get("peer");
        assertEquals("onnxruntime", peer.get("name"));
        assertEquals(2.0, ((Number) peer.get("intra_op_threads")).doubleValue());
        assertEquals(1.0, ((Number) peer.get("inter_op_threads")).doubleValue());
        assertEquals(2.0, ((Number) m.get("threads")).doubleValue());
        var nets = (List<?>) m.get("nets");
        assertEquals(2, nets.size());
        for (Object o : nets) {
            var n = (Map<?, ?>) o;
            for (String k : new String[] {"p50_ms", "p99_ms", "ratio_p50", "ratio_p99", "max_abs_diff", "ort", "latencies_us", "load_average_before"}) assertNotNull(n.get(k), k);
            var ort = (Map<?, ?>) n.get("ort");
            assertNotNull(ort.get("p50_ms"));
            assertNotNull(ort.get("p99_ms"));
            var lat = (Map<?, ?>) n.get("latencies_us");
            assertEquals(7, ((List<?>) lat.get("jcnn")).size(), "--iters 7: seven raw times per engine");
            assertEquals(7, ((List<?>) lat.get("ort")).size());
            double ratio = ((Number) n.get("ratio_p50")).doubleValue();
            assertEquals(((Number) n.get("p50_ms")).doubleValue() / ((Number) ort.get("p50_ms")).doubleValue(), ratio, 1e-3 * ratio);
            // ONNX Runtime is the oracle: same weights, same input, so the logits agree
            double diff = ((Number) n.get("max_abs_diff")).doubleValue(), max = ((Number) n.get("max_abs_output")).doubleValue();
            assertTrue(diff <= 1e-4 * Math.max(1, max), n.get("net") + ": max abs diff " + diff + " of max |logit| " + max);
        }

        Document d = xml(Files.readString(svg));
        Element root = d.getDocumentElement();
        assertEquals("svg", root.getLocalName());
        assertEquals("http://www.w3.org/2000/svg", root.getNamespaceURI());
        NodeList rects = d.getElementsByTagNameNS("http://www.w3.org/2000/svg", "rect");
        int[] bars = new int[2];
        for (int i = 0; i < rects.getLength(); i++) {
            String fill = ((Element) rects.item(i)).getAttribute("fill");
            for (int k = 0; k < 2; k++) if (fill.equals(BenchChart.COLORS[k])) bars[k]++;
        }
        assertArrayEquals(new int[] {3, 3}, bars, "one bar per engine per net, plus the legend's swatch");
        List<String> texts = new ArrayList<>();
        NodeList t = d.getElementsByTagNameNS("http://www.w3.org/2000/svg", "text");
        for (int i = 0; i < t.getLength(); i++) texts.add(t.item(i).getTextContent());
        assertTrue(texts.contains("squeezenet1_1") && texts.contains("shufflenet_v2_x0_5"), texts.toString());
    }

    @Test
    void chartEscapesTextAndDrawsOneBarPerNetAlone() throws Exception {
        String s = BenchChart.svg("a <b> & \"c\"", "it's", List.of("jcnn"),
            List.of(new BenchChart.Row("x<y", new double[] {1.5}, new double[] {2}), new BenchChart.Row("z", new double[] {150}, new double[] {900})));
        Document d = xml(s);
        assertEquals(3, d.getElementsByTagNameNS("http://www.w3.org/2000/svg", "rect").getLength() - 1, "two bars and a legend swatch, besides the background");
        assertTrue(d.getDocumentElement().getTextContent().contains("x<y"));
    }

    @Test
    void profileRowsSumToTheTotal() {
        Result r = cli("run", "squeezenet1_1", "--size", "64", "--profile", "--iters", "15", "--json");
        assertEquals(0, r.code(), r.err());
        var m = (Map<?, ?>) jcnn.io.Json.parse(r.out().trim());
        var steps = (List<?>) m.get("steps");
        double sum = 0, pct = 0;
        for (Object o : steps) {
            var s = (Map<?, ?>) o;
            assertNotNull(s.get("name"));
            assertNotNull(s.get("op"));
            sum += ((Number) s.get("ms")).doubleValue();
            pct += ((Number) s.get("pct")).doubleValue();
        }
        double stepsSum = ((Number) m.get("steps_sum_ms")).doubleValue(), total = ((Number) m.get("total_p50_ms")).doubleValue();
        assertEquals(stepsSum, sum, 1e-3 * stepsSum, "the rows sum to the table's total");
        assertEquals(100, pct, 0.1);
        var g = jcnn.models.Zoo.build("squeezenet1_1", 64);
        try (var cm = jcnn.compile.CompiledModel.compile(g, jcnn.models.Init.init(g, 42))) {
            assertEquals(cm.plan(1).steps(), steps.size(), "one row per plan step");
        }
        Result text = cli("run", "squeezenet1_1", "--size", "64", "--profile", "--iters", "3");
        assertEquals(0, text.code(), text.err());
        assertTrue(text.out().contains("top 15 steps by time") && text.out().contains("by op kind") && text.out().contains("total (sum of steps)"), text.out());
        // The step medians against the whole-run median measured beside them: the same work, so within a
        // few % on a quiet machine. Other builds sharing the CPU preempt long runs more than short steps,
        // so this part is only asserted while the load is low, and loosely.
        double load = Machine.loadAverage() / Runtime.getRuntime().availableProcessors();
        System.out.printf("profile squeezenet1_1 64: steps sum %.3f ms, whole run %.3f ms, load/core %.2f%n", stepsSum, total, load);
        org.junit.jupiter.api.Assumptions.assumeTrue(load < 0.6, "machine busy (load/core " + load + "): sum-vs-total not checked");
        assertTrue(Math.abs(stepsSum - total) <= 0.2 * total, "steps sum " + stepsSum + " ms vs whole run " + total + " ms");
    }

    @Test
    void interleavedGivesEveryEngineTheSameRunsInAlternatingBlocks() {
        StringBuilder order = new StringBuilder();
        // 55 ms a run: a block is BLOCK runs (250 ms of runs would be 4.5)
        long[][] ns = Interleaved.time(new Runnable[] {() -> { order.append('a'); sleep(55); }, () -> { order.append('b'); sleep(55); }}, 12, 1, 0, 0);
        assertEquals(12, ns[0].length);
        assertEquals(12, ns[1].length);
        String timed = order.substring(order.length() - 24);
        assertEquals("aaaaabbbbbaaaaabbbbbaabb", timed, "blocks of " + Interleaved.BLOCK + ", the last one short");
        String warm = order.substring(0, order.length() - 24);
        assertTrue(warm.length() >= 2 * Interleaved.WARMUP_RUNS && warm.replace("ab", "").isEmpty(), "warm-up alternates single runs: " + warm.length());
        // fast engines get longer blocks: >= 250 ms of the slowest engine's warm-up mean, 5..100 runs
        assertEquals(25, Interleaved.blockRuns(new long[] {3_000_000L, 30_000_000L}, 3));
        assertEquals(100, Interleaved.blockRuns(new long[] {1_000L, 1_000L}, 1));
        assertEquals(Interleaved.BLOCK, Interleaved.blockRuns(new long[] {300_000_000L, 1L}, 3));
    }

    @Test
    void settleWaitsWhileAnotherThreadOfTheProcessSpins() throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue(Interleaved.processCpuNs() >= 0, "this JVM does not report process CPU time");
        var stop = new java.util.concurrent.atomic.AtomicBoolean();
        Thread spinner = new Thread(() -> { while (!stop.get()) Thread.onSpinWait(); }); // a peer's idle thread that spins
        spinner.setDaemon(true);
        spinner.start();
        long t0 = System.nanoTime();
        Thread stopper = new Thread(() -> { sleep(200); stop.set(true); });
        stopper.start();
        Interleaved.settle();
        long ms = (System.nanoTime() - t0) / 1_000_000;
        stopper.join();
        spinner.join();
        assertTrue(ms >= 190 && ms < Interleaved.SETTLE_MAX_MS, "settle returned after " + ms + " ms; the spinner ran 200 ms");
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException x) {
            throw new AssertionError(x);
        }
    }
}
