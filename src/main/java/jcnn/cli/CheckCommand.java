package jcnn.cli;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Set;
import jcnn.graph.Graph;
import jcnn.compile.Model;
import jcnn.graph.Weights;
import jcnn.io.onnx.OnnxExporter;
import jcnn.io.onnx.Ort;
import jcnn.tensor.Tensor;

/**
 * {@code check NET|FILE.onnx [--device cpu|emu|cuda] [--size S] [--weights F] [--json]}: our output
 * (the model compiled for the device: the CPU backend by default, the CUDA emulator or the GPU) against ONNX Runtime on the same model, weights and input. A NET is exported first; a FILE.onnx is
 * imported. Exit 1 when an element is off by more than atol*max(1, max|ref|) + rtol*|ref|
 * (rtol 1e-4, atol 1e-5); exit 2 when ONNX Runtime is not on the classpath or the model is bad.
 */
final class CheckCommand {
    private CheckCommand() {}

    static final double RTOL = 1e-4, ATOL = 1e-5;

    static int run(String[] a, PrintStream out, PrintStream err) {
        var args = OnnxCli.Args.parse(a, Set.of("size", "weights", "device"), Set.of("json"));
        if (args.positional().size() != 1) throw new UserError("usage: check NET|FILE.onnx [--device cpu|emu|cuda] [--size S] [--weights F] [--json]");
        String device = DeviceOption.parse(args.options().getOrDefault("device", "cpu"));
        if (!jcnn.io.onnx.OrtProbe.available()) {
            throw new UserError("onnxruntime not on the classpath (bin/jcnn puts target/lib/onnxruntime-*.jar there; "
                + "elsewhere add com.microsoft.onnxruntime:onnxruntime 1.23.2)");
        }
        String what = args.positional().get(0);
        Integer size = args.options().containsKey("size") ? args.integer("size", 224) : null;
        Graph g;
        Weights w;
        byte[] model = null;
        Path file = null;
        if (what.endsWith(".onnx")) {
            file = Path.of(what);
            var im = OnnxCli.importFile(what, size);
            g = im.graph();
            w = im.weights();
        } else {
            g = OnnxCli.build(what, size);
            w = NetSetup.weights(g, args.get("weights"));
            model = OnnxExporter.toBytes(g, w);
        }
        long t0 = System.nanoTime();
        try (Model m = DeviceOption.compile(device, g, w, 1); Tensor x = NetSetup.input(g.inputShape()); Tensor ours = m.run(x)) {
            long t1 = System.nanoTime();
            Tensor ort;
            try {
                ort = model != null ? Ort.run(model, x, 0) : Ort.run(file, x, 0);
            } catch (IllegalArgumentException e) {
                throw new UserError(e.getMessage(), e);
            }
            long t2 = System.nanoTime();
            return report(what, device, g, ours, ort, (t1 - t0) / 1e9, (t2 - t1) / 1e9, args.flag("json"), out);
        }
    }

    private static int report(String what, String device, Graph g, Tensor ours, Tensor ort, double tRef, double tOrt, boolean json, PrintStream out) {
        if (ours.shape().size() != ort.shape().size()) throw new UserError("output shapes differ: ours " + ours.shape() + ", ONNX Runtime " + ort.shape());
        float[] r = ours.toArray(), o = ort.toArray();
        double max = 0, abs = 0;
        for (float v : r) max = Math.max(max, Math.abs(v));
        boolean ok = true;
        for (int i = 0; i < r.length; i++) {
            double d = Math.abs((double) r[i] - o[i]);
            if (Double.isNaN(d)) d = Double.POSITIVE_INFINITY;
            abs = Math.max(abs, d);
            ok &= d <= ATOL * Math.max(1, max) + RTOL * Math.abs(r[i]);
        }
        double rel = max == 0 ? abs : abs / max;
        if (json) {
            out.printf("{\"model\":\"%s\",\"device\":\"" + device + "\",\"input\":\"%s\",\"max_abs\":%.6g,\"max_rel\":%.6g,\"max_ref\":%.6g,\"rtol\":%g,\"atol\":%g,"
                + "\"pass\":%b,\"reference_s\":%.3f,\"ort_s\":%.3f}%n", what.replace("\\", "\\\\").replace("\"", "\\\""), g.inputShape(),
                abs, rel, max, RTOL, ATOL, ok, tRef, tOrt);
        } else {
            out.printf("%s %s on " + device + ": max abs error %.3g, max rel error %.3g (of max |logit| %.3g) vs ONNX Runtime: %s (rtol %.0e, atol %.0e)%n",
                what, g.inputShape(), abs, rel, max, ok ? "PASS" : "FAIL", RTOL, ATOL);
            out.printf("  ours (compile + run) %.2f s, ONNX Runtime %.2f s%n", tRef, tOrt);
        }
        return ok ? 0 : 1;
    }
}
