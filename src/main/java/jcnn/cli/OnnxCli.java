package jcnn.cli;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import jcnn.graph.Graph;
import jcnn.models.Zoo;

/**
 * What export and check share: their small option parser, a zoo network with its weights, and the
 * fixed input. (The exec branch's NetSetup/SyntheticWeights cover the same ground for run and bench;
 * once both are merged these can share them.)
 */
final class OnnxCli {
    private OnnxCli() {}


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

    /**
     * Imports an ONNX file for the CLI (check, run): a missing file or a model the importer refuses
     * becomes a one-line UserError; {@code size} (may be null) sets a 1x3xSxS input where the file's
     * input has free dimensions or another size.
     */
    static jcnn.io.onnx.OnnxImporter.Imported importFile(String what, Integer size) {
        java.nio.file.Path file = java.nio.file.Path.of(what);
        if (!java.nio.file.Files.isReadable(file)) throw new UserError("cannot read " + what + ": no such readable file");
        try {
            return jcnn.io.onnx.OnnxImporter.load(file, size == null ? null : jcnn.tensor.Shape.nchw(1, 3, size, size));
        } catch (java.io.IOException | IllegalArgumentException e) {
            String m = e.getMessage();
            throw new UserError(m.endsWith("give the input shape") ? m + " with --size S" : m, e);
        }
    }
}
