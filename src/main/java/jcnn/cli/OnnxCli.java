package jcnn.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import jcnn.graph.Graph;
import jcnn.graph.Weights;
import jcnn.io.Safetensors;
import jcnn.models.Zoo;
import jcnn.tensor.Shape;
import jcnn.tensor.Tensor;

/**
 * What export and check share: their small option parser, a zoo network with its weights, and the
 * fixed input. (The exec branch's NetSetup/SyntheticWeights cover the same ground for run and bench;
 * once both are merged these can share them.)
 */
final class OnnxCli {
    private OnnxCli() {}

    static final long WEIGHT_SEED = 42;

    /** Positional arguments and --key value options; flags (no value) are listed in {@code flags}. */
    record Args(List<String> positional, Map<String, String> options) {
        static Args parse(String[] a, Set<String> valued, Set<String> flags) {
            List<String> pos = new ArrayList<>();
            Map<String, String> opt = new HashMap<>();
            for (int i = 0; i < a.length; i++) {
                if (!a[i].startsWith("--")) { pos.add(a[i]); continue; }
                String k = a[i].substring(2);
                if (flags.contains(k)) opt.put(k, "true");
                else if (valued.contains(k)) {
                    if (i + 1 >= a.length) throw new UserError("option --" + k + " needs a value");
                    opt.put(k, a[++i]);
                } else throw new UserError("unknown option --" + k);
            }
            return new Args(pos, opt);
        }

        int integer(String k, int dflt) {
            String v = options.get(k);
            if (v == null) return dflt;
            try {
                int x = Integer.parseInt(v);
                if (x <= 0) throw new NumberFormatException();
                return x;
            } catch (NumberFormatException e) {
                throw new UserError("--" + k + " must be a positive integer, got '" + v + "'");
            }
        }

        boolean flag(String k) { return options.containsKey(k); }
        String get(String k) { return options.get(k); }
    }

    static Graph build(String net, Integer size) {
        Zoo.Spec spec;
        try {
            spec = Zoo.parse(net);
        } catch (IllegalArgumentException e) {
            throw new UserError(e.getMessage());
        }
        int s = size != null ? size : spec.defaultSize();
        try {
            return spec.build(s);
        } catch (IllegalArgumentException e) {
            throw new UserError("size " + s + " is not possible for " + spec.name() + ": " + e.getMessage());
        }
    }

    /** Weights from a safetensors file (checked against the graph), or deterministic synthetic ones. */
    static Weights weights(Graph g, String file) {
        if (file == null) return synthetic(g, WEIGHT_SEED);
        Path p = Path.of(file);
        if (!Files.isReadable(p)) throw new UserError("cannot read weights " + file + ": no such readable file");
        try {
            Weights w = Safetensors.load(p);
            w.requireFor(g);
            return w;
        } catch (IOException | IllegalArgumentException e) {
            throw new UserError("weights " + file + ": " + e.getMessage(), e);
        }
    }

    /** Fan-in scaled uniform weights, BN variances in [0.5, 1.5]: keeps logits of order 1 through deep nets. */
    static Weights synthetic(Graph g, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        Weights w = new Weights();
        for (var e : g.weightShapes().entrySet()) {
            Shape s = e.getValue();
            float[] v = new float[(int) s.size()];
            boolean var = e.getKey().endsWith("running_var");
            double scale = s.rank() >= 2 ? Math.sqrt(3.0 / (s.size() / s.dim(0))) : 0.5;
            for (int i = 0; i < v.length; i++) v[i] = var ? (float) (0.5 + r.nextDouble()) : (float) ((2 * r.nextDouble() - 1) * scale);
            w.put(e.getKey(), s, v);
        }
        return w;
    }

    /** A fixed input: a smooth deterministic pattern in [-1, 1]. */
    static Tensor input(Shape s) {
        Tensor t = Tensor.allocate(s);
        long per = s.size() / s.n();
        for (long i = 0; i < s.size(); i++) t.set(i, (float) Math.sin(0.37 * (i % per) + 0.11 * (i / per)));
        return t;
    }
}
