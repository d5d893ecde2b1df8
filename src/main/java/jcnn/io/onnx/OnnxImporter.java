package jcnn.io.onnx;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import jcnn.graph.Graph;
import jcnn.graph.Weights;
import jcnn.io.OneLine;
import jcnn.io.onnx.OnnxModel.Node;
import jcnn.io.onnx.OnnxModel.Tensor;
import jcnn.io.onnx.OnnxModel.ValueInfo;
import jcnn.ops.*;
import jcnn.tensor.Shape;

/**
 * ONNX model -> jcnn Graph + Weights, for the op set PyTorch emits for the five families (opsets 9
 * to 21; see {@link #SUPPORTED}). Shape subgraphs (Shape, Gather, Unsqueeze, Concat, Constant, ...)
 * are folded to constants; Reshape-Transpose-Reshape becomes a ChannelShuffle, Max/Min a ReLU6,
 * MatMul+Add or Gemm a Linear, Split a set of Slices. Any problem (truncated or foreign file,
 * unsupported op, asymmetric padding, missing initializer, inconsistent shapes) throws one
 * IllegalArgumentException with a one-line message naming the file and the node (names quoted from
 * the file have their control characters escaped); nothing partial is returned. I/O failures throw
 * IOException, a null path NullPointerException; nothing else. Fuzzed with Jazzer
 * ({@code OnnxFuzzTest}, 100,000 inputs per test run through {@link #fromBytes}), where any other
 * exception, a hang or a multi-line message fails the build.
 */
public final class OnnxImporter {
    public static final String SUPPORTED = "Conv BatchNormalization Relu Clip Max Min MaxPool AveragePool GlobalAveragePool "
        + "ReduceMean Concat Split Slice Add Mul (per channel) Reshape Transpose Flatten Gemm MatMul Dropout Identity Softmax "
        + "(+ constant folding of Constant Shape Gather Unsqueeze Squeeze Cast Mul Div Sub)";
    static final int MIN_OPSET = 9, MAX_OPSET = 23;

    /** The imported network. */
    public record Imported(Graph graph, Weights weights, int opset, String producer) {}

    private OnnxImporter() {}

    public static Imported load(Path file) throws IOException { return load(file, null); }

    /** {@code input} overrides the model's input shape (needed when its H or W is symbolic); null keeps it. */
    public static Imported load(Path file, Shape input) throws IOException {
        byte[] bytes = Files.readAllBytes(file);
        String name = file.getFileName().toString().replaceFirst("\\.onnx$", "");
        try {
            return fromModel(OnnxReader.read(bytes, file.toAbsolutePath().getParent()), name, input);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(OneLine.of(file + ": " + e.getMessage()), e);
        } catch (IndexOutOfBoundsException | ArithmeticException | NegativeArraySizeException | ClassCastException e) {
            // a safety net: a corrupt model must still fail as bad input, with the file named
            throw new IllegalArgumentException(OneLine.of(file + ": malformed model (" + e + ")"), e);
        }
    }

    /** From bytes in memory (external data is then refused). */
    public static Imported fromBytes(byte[] bytes, String name, Shape input) {
        try {
            return fromModel(OnnxReader.read(bytes, null), name, input);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(OneLine.of(e.getMessage()), e);
        } catch (IndexOutOfBoundsException | ArithmeticException | NegativeArraySizeException | ClassCastException e) {
            throw new IllegalArgumentException(OneLine.of("malformed model (" + e + ")"), e);
        }
    }

    static Imported fromModel(OnnxModel m, String name, Shape inputOverride) {
        if (m.opset() < MIN_OPSET || m.opset() > MAX_OPSET) {
            throw new IllegalArgumentException("opset " + m.opset() + " is not supported (" + MIN_OPSET + " to " + MAX_OPSET + ")");
        }
        OnnxModel.Graph g = m.graph();
        Set<String> initNames = new HashSet<>();
        for (Tensor t : g.initializers()) initNames.add(t.name());
        List<ValueInfo> inputs = g.inputs().stream().filter(v -> !initNames.contains(v.name())).toList();
        if (inputs.size() != 1) throw new IllegalArgumentException("expected one graph input, found " + inputs.size());
        if (g.outputs().size() != 1) throw new IllegalArgumentException("expected one graph output, found " + g.outputs().size());
        ValueInfo in = inputs.get(0);
        ImportState s = new ImportState(name, inputShape(in, inputOverride), in.name(), m.opset());
        for (Tensor t : g.initializers()) s.defineConst(t.name(), t);
        for (Node n : g.nodes()) {
            try {
                convert(s, n);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(n.describe() + ": " + e.getMessage(), e);
            }
        }
        String out = g.outputs().get(0).name();
        int id;
        try {
            id = s.value(out);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("graph output: " + e.getMessage(), e);
        }
        if (id == Graph.INPUT) throw new IllegalArgumentException("the graph output is its input: nothing to run");
        checkOutput(g.outputs().get(0), s.dims(out));
        return new Imported(s.b.build(id), s.weights, m.opset(), m.producer());
    }

    private static Shape inputShape(ValueInfo in, Shape override) {
        if (in.elemType() != OnnxProto.FLOAT) throw new IllegalArgumentException("input " + in.name() + " is not float32 (type " + in.elemType() + ")");
        if (in.dims().length != 4) throw new IllegalArgumentException("input " + in.name() + " has rank " + in.dims().length + ", expected NCHW");
        if (override != null) {
            if (override.rank() != 4) throw new IllegalArgumentException("input shape override " + override + " is not NCHW");
            for (int i = 0; i < 4; i++) {
                if (in.known(i) && in.dims()[i] != override.dim(i)) {
                    throw new IllegalArgumentException("input shape " + override + " does not fit the model's fixed dimension " + i + " = " + in.dims()[i]);
                }
            }
            return override;
        }
        int[] d = new int[4];
        for (int i = 0; i < 4; i++) {
            if (in.known(i) && in.dims()[i] > 0) d[i] = (int) in.dims()[i];
            else if (i == 0) d[i] = 1;  // a symbolic batch: import at batch 1 (Graph.withInput changes it)
            else throw new IllegalArgumentException("input dimension " + i + " is symbolic (" + in.params()[i] + "): give the input shape");
        }
        return Shape.nchw(d[0], d[1], d[2], d[3]);
    }

    /** The declared output, where the model gives all its non-batch dims, must hold what our graph computes. */
    private static void checkOutput(ValueInfo declared, long[] ours) {
        long[] d = declared.dims();
        if (d.length == 0) return;  // no shape declared
        long a = 1, b = 1;
        for (int i = 1; i < d.length; i++) {
            if (!declared.known(i) || d[i] <= 0) return;
            a *= d[i];
        }
        for (int i = 1; i < ours.length; i++) b *= ours[i];
        if (a != b) {
            throw new IllegalArgumentException("inconsistent shapes: the model declares output " + java.util.Arrays.toString(d)
                + " but the graph computes " + java.util.Arrays.toString(ours));
        }
    }

    private static void convert(ImportState s, Node n) {
        if (!n.domain().isEmpty() && !n.domain().equals("ai.onnx")) {
            throw new IllegalArgumentException("op domain '" + n.domain() + "' is not supported");
        }
        for (String i : n.inputs()) if (!i.isEmpty() && !s.defined(i)) s.value(i);  // names the undefined value
        if (n.outputs().isEmpty()) throw new IllegalArgumentException("node has no output");
        if (ConstFolder.foldable(s, n)) { s.defineConst(n.outputs().get(0), ConstFolder.fold(s, n)); return; }
        String out = n.outputs().get(0);
        switch (n.opType()) {
            case "Identity", "Dropout" -> s.alias(out, n.input(0), null);
            case "Relu" -> s.define(out, s.add(null, new Act(Activation.RELU), s.value(n.input(0))));
            case "Conv" -> LayerImport.conv(s, n);
            case "BatchNormalization" -> LayerImport.batchNorm(s, n);
            case "Clip" -> LayerImport.clip(s, n);
            case "Max", "Min" -> LayerImport.maxMin(s, n);
            case "MaxPool", "AveragePool" -> LayerImport.pool(s, n);
            case "GlobalAveragePool" -> s.define(out, s.add(null, new GlobalAvgPool(), s.value(n.input(0))));
            case "ReduceMean" -> LayerImport.reduceMean(s, n);
            case "Gemm" -> LayerImport.gemm(s, n);
            case "MatMul" -> LayerImport.matMul(s, n);
            case "Add" -> LayerImport.add(s, n);
            case "Mul" -> LayerImport.mul(s, n);
            case "Softmax" -> LayerImport.softmax(s, n);
            case "Concat" -> ShapeImport.concat(s, n);
            case "Split" -> ShapeImport.split(s, n);
            case "Slice" -> ShapeImport.slice(s, n);
            case "Flatten" -> ShapeImport.flatten(s, n);
            case "Reshape" -> ShapeImport.reshape(s, n);
            case "Transpose" -> ShapeImport.transpose(s, n);
            default -> throw new IllegalArgumentException("unsupported op " + n.opType() + " (jcnn imports " + SUPPORTED + ")");
        }
    }
}
