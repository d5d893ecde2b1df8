package jcnn.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Set;
import jcnn.graph.Graph;
import jcnn.graph.Weights;
import jcnn.io.onnx.OnnxExporter;

/** {@code export NET FILE.onnx [--size S] [--weights FILE.safetensors]}: the network as ONNX (opset 17, dynamic batch). */
final class ExportCommand {
    private ExportCommand() {}

    static int run(String[] a, PrintStream out, PrintStream err) {
        var args = OnnxCli.Args.parse(a, Set.of("size", "weights"), Set.of());
        if (args.positional().size() != 2) throw new UserError("usage: export NET FILE.onnx [--size S] [--weights FILE.safetensors]");
        Graph g = OnnxCli.build(args.positional().get(0), args.options().containsKey("size") ? args.integer("size", 224) : null);
        Weights w = NetSetup.weights(g, args.get("weights"));
        Path file = Path.of(args.positional().get(1));
        try {
            OnnxExporter.write(g, w, file);
        } catch (IOException e) {
            throw new UserError("cannot write " + file + ": " + e.getMessage(), e);
        }
        out.printf("%s: %s %s, %d nodes, %,d params, opset %d, weights %s%n", file, g.name(), g.inputShape(), g.nodes().size(), g.params(),
            OnnxExporter.OPSET, args.get("weights") != null ? args.get("weights") : "jcnn.models.Init (seed " + NetSetup.WEIGHT_SEED + ")");
        return 0;
    }
}
