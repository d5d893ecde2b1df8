package jcnn.io.onnx;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import jcnn.graph.Graph;
import jcnn.graph.Node;
import jcnn.graph.Weights;
import jcnn.io.onnx.OnnxModel.Attr;
import jcnn.io.onnx.OnnxModel.Tensor;
import jcnn.io.onnx.OnnxModel.ValueInfo;
import jcnn.ops.*;
import jcnn.tensor.Shape;

/**
 * Any jcnn Graph + Weights to an ONNX model (opset 17, IR 8) with a dynamic batch dimension "N".
 * Values are named after the node that makes them, initializers keep the state-dict keys (so an
 * import recovers module names), and the fused forms a compiled graph holds (conv with activation,
 * residual or input BN-ReLU, ChannelAffine) are emitted as the equivalent sequence of plain ops.
 *
 * <p>The input prologue of a conv with {@code inputBnRelu} reads per-channel weights
 * {@code <node>.in_scale} and {@code <node>.in_shift} ([Cin]); the exec compiler is expected to store
 * them under those keys.
 */
public final class OnnxExporter {
    public static final int OPSET = 17;
    static final long IR_VERSION = 8;
    public static final String INPUT = "input", OUTPUT = "output";

    private final Graph g;
    private final Weights w;
    private final List<OnnxModel.Node> nodes = new ArrayList<>();
    private final Map<String, Tensor> inits = new LinkedHashMap<>();
    private final Set<String> names = new HashSet<>();
    private final Set<String> nodeNames = new HashSet<>();  // ONNX wants node names unique too
    private final String[] valueName;

    private OnnxExporter(Graph g, Weights w) {
        this.g = g;
        this.w = w;
        this.valueName = new String[g.nodes().size()];
        names.add(INPUT);
        names.add(OUTPUT);
    }

    /** The model as an {@link OnnxModel} (for inspection and tests). */
    public static OnnxModel toModel(Graph g, Weights w) {
        OnnxExporter e = new OnnxExporter(g, w);
        for (Node n : g.nodes()) e.emit(n);
        List<ValueInfo> in = List.of(info(INPUT, g.inputShape()));
        List<ValueInfo> out = List.of(info(OUTPUT, g.outputShape()));
        var graph = new OnnxModel.Graph(g.name(), e.nodes, List.copyOf(e.inits.values()), in, out);
        return new OnnxModel(IR_VERSION, OPSET, "jcnn", graph);
    }

    public static byte[] toBytes(Graph g, Weights w) { return OnnxWriter.write(toModel(g, w)); }

    public static void write(Graph g, Weights w, Path file) throws IOException {
        byte[] b = toBytes(g, w);
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        Files.write(tmp, b);
        Files.move(tmp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    }

    private static ValueInfo info(String name, Shape s) {
        long[] d = new long[s.rank()];
        String[] p = new String[s.rank()];
        for (int i = 0; i < d.length; i++) d[i] = s.dim(i);
        p[0] = "N";
        return new ValueInfo(name, OnnxProto.FLOAT, d, p);
    }

    // ---- one jcnn node -> one or more ONNX nodes ----------------------------------------------

    private void emit(Node n) {
        String out = n.id() == g.outputId() ? OUTPUT : unique(n.name());
        valueName[n.id()] = out;
        String x = in(n, 0);
        String base = n.name();
        switch (n.op()) {
            case Conv2d c -> conv(n, c, x, out);
            case BatchNorm b -> node("BatchNormalization", base, List.of(x, weight(n, "weight"), weight(n, "bias"),
                weight(n, "running_mean"), weight(n, "running_var")), out, Attr.ofFloat("epsilon", (float) b.eps()));
            case ChannelAffine a -> {
                String s = tmp(base + "/scaled");
                node("Mul", base + "/scale", List.of(x, perChannel(n, "scale", a.channels())), s);
                act(base, a.act(), s, "Add", List.of(s, perChannel(n, "shift", a.channels())), out);
            }
            case Act a -> actNode(base, a.act(), x, out);
            case Add a -> act(base, a.act(), x, "Add", List.of(x, in(n, 1)), out);
            case Concat c -> {
                List<String> xs = new ArrayList<>();
                for (int i = 0; i < n.arity(); i++) xs.add(in(n, i));
                node("Concat", base, xs, out, Attr.ofInt("axis", 1));
            }
            case Slice s -> node("Slice", base, List.of(x, longs(base + ".starts", s.start()), longs(base + ".ends", s.start() + s.count()),
                longs(base + ".axes", 1)), out);
            case ChannelShuffle s -> shuffle(n, s, x, out);
            case MaxPool p -> node("MaxPool", base, List.of(x), out, Attr.ofInts("kernel_shape", p.kernel(), p.kernel()),
                Attr.ofInts("strides", p.stride(), p.stride()), Attr.ofInts("pads", p.pad(), p.pad(), p.pad(), p.pad()),
                Attr.ofInt("ceil_mode", p.ceil() ? 1 : 0));
            case AvgPool p -> avgPool(n, p, x, out);
            case GlobalAvgPool p -> node("GlobalAveragePool", base, List.of(x), out);
            case Linear l -> {
                String flat = x;
                if (g.shapeOf(n.input(0)).rank() != 2) {
                    flat = tmp(base + "/flat");
                    node("Flatten", base + "/flatten", List.of(x), flat, Attr.ofInt("axis", 1));
                }
                List<String> args = new ArrayList<>(List.of(flat, weight(n, "weight")));
                if (l.bias()) args.add(weight(n, "bias"));
                node("Gemm", base, args, out, Attr.ofInt("transB", 1));
            }
            case Softmax s -> softmax(n, x, out);
            case SqueezeExcite e -> {
                // x * sigmoid(fc2(relu(fc1(mean_hw x)))), as torchvision's SqueezeExcitation exports
                String p = tmp(base + "/pool"), h = tmp(base + "/fc1"), r = tmp(base + "/relu"), z = tmp(base + "/fc2"), gate = tmp(base + "/gate");
                node("GlobalAveragePool", base + "/avgpool", List.of(x), p);
                node("Conv", base + "/fc1", List.of(p, weight(n, "fc1.weight"), weight(n, "fc1.bias")), h, Attr.ofInts("kernel_shape", 1, 1));
                node("Relu", base + "/relu", List.of(h), r);
                node("Conv", base + "/fc2", List.of(r, weight(n, "fc2.weight"), weight(n, "fc2.bias")), z, Attr.ofInts("kernel_shape", 1, 1));
                node("Sigmoid", base + "/sigmoid", List.of(z), gate);
                node("Mul", base + "/scale", List.of(x, gate), out);
            }
        }
    }

    private void conv(Node n, Conv2d c, String x, String out) {
        String base = n.name();
        if (c.inputBnRelu()) {
            // relu(x * in_scale + in_shift), applied before the conv reads x (zero padding stays zero)
            String s = tmp(base + "/in_scaled"), t = tmp(base + "/in_shifted"), r = tmp(base + "/in_relu");
            node("Mul", base + "/in_scale", List.of(x, perChannel(n, "in_scale", c.inC())), s);
            node("Add", base + "/in_shift", List.of(s, perChannel(n, "in_shift", c.inC())), t);
            node("Relu", base + "/in_relu", List.of(t), r);
            x = r;
        }
        List<String> args = new ArrayList<>(List.of(x, weight(n, "weight")));
        if (c.bias()) args.add(weight(n, "bias"));
        Attr[] attrs = {Attr.ofInts("kernel_shape", c.kernel(), c.kernel()), Attr.ofInts("strides", c.stride(), c.stride()),
            Attr.ofInts("pads", c.pad(), c.pad(), c.pad(), c.pad()), Attr.ofInts("dilations", 1, 1), Attr.ofInt("group", c.groups())};
        if (!c.residual()) {
            if (c.act() == Activation.NONE) { node("Conv", base, args, out, attrs); return; }
            String y = tmp(base + "/conv");
            node("Conv", base, args, y, attrs);
            actNode(base, c.act(), y, out);
            return;
        }
        String y = tmp(base + "/conv");
        node("Conv", base, args, y, attrs);
        act(base, c.act(), y, "Add", List.of(y, in(n, 1)), out);
    }

    /** Ceil mode goes out as floor mode with widened end padding, see {@link AvgPoolFix}. */
    private void avgPool(Node n, AvgPool p, String x, String out) {
        Shape in = g.shapeOf(n.input(0));
        boolean fix = p.ceil() && p.countPad();
        String y = fix ? tmp(n.name() + "/pool") : out;
        int[] end = p.ceil() ? AvgPoolFix.endPads(p, in) : new int[] {p.pad(), p.pad()};
        node("AveragePool", n.name(), List.of(x), y, Attr.ofInts("kernel_shape", p.kernel(), p.kernel()),
            Attr.ofInts("strides", p.stride(), p.stride()), Attr.ofInts("pads", p.pad(), p.pad(), end[0], end[1]),
            Attr.ofInt("ceil_mode", 0), Attr.ofInt("count_include_pad", p.countPad() && !p.ceil() ? 1 : 0));
        if (!fix) return;
        Shape o = n.shape();
        String k = unique(n.name() + ".divisor_fix");
        inits.put(k, Tensor.ofFloats(k, AvgPoolFix.map(p, in), 1, 1, o.h(), o.w()));
        node("Mul", n.name() + "/divisor_fix", List.of(y, k), out);
    }

    /** PyTorch's form: Reshape to (N, g, C/g, H, W), Transpose (0, 2, 1, 3, 4), Reshape back; -1 keeps the batch dynamic. */
    private void shuffle(Node n, ChannelShuffle s, String x, String out) {
        Shape in = g.shapeOf(n.input(0));
        String base = n.name();
        String a = tmp(base + "/split_groups"), b = tmp(base + "/transposed");
        node("Reshape", base + "/reshape1", List.of(x, longs(base + ".shape1", -1, s.groups(), in.c() / s.groups(), in.h(), in.w())), a);
        node("Transpose", base + "/transpose", List.of(a), b, Attr.ofInts("perm", 0, 2, 1, 3, 4));
        node("Reshape", base + "/reshape2", List.of(b, longs(base + ".shape2", -1, in.c(), in.h(), in.w())), out);
    }

    /** Our softmax spans all features of an image; ONNX's one axis, so flatten first when H*W > 1. */
    private void softmax(Node n, String x, String out) {
        Shape in = g.shapeOf(n.input(0));
        String base = n.name();
        if (in.rank() == 2 || in.h() * in.w() == 1) { node("Softmax", base, List.of(x), out, Attr.ofInt("axis", 1)); return; }
        String f = tmp(base + "/flat"), s = tmp(base + "/softmax");
        node("Flatten", base + "/flatten", List.of(x), f, Attr.ofInt("axis", 1));
        node("Softmax", base, List.of(f), s, Attr.ofInt("axis", 1));
        node("Reshape", base + "/unflatten", List.of(s, longs(base + ".shape", -1, in.c(), in.h(), in.w())), out);
    }

    /** {@code out = act(op(args))}: the op alone when act is NONE, else op into a temporary then the activation. */
    private void act(String base, Activation a, String x, String op, List<String> args, String out) {
        if (a == Activation.NONE) { node(op, base, args, out); return; }
        String y = tmp(base + "/" + op.toLowerCase());
        node(op, base + "/" + op.toLowerCase(), args, y);
        actNode(base, a, y, out);
    }

    private void actNode(String base, Activation a, String x, String out) {
        switch (a) {
            case NONE -> node("Identity", base + "/identity", List.of(x), out);
            case RELU -> node("Relu", base + "/relu", List.of(x), out);
            case RELU6 -> node("Clip", base + "/clip", List.of(x, scalar("jcnn.relu6.min", 0f), scalar("jcnn.relu6.max", 6f)), out);
        }
    }

    // ---- names, nodes, initializers ------------------------------------------------------------

    private String in(Node n, int i) {
        int id = n.input(i);
        return id == Graph.INPUT ? INPUT : valueName[id];
    }

    private String unique(String name) {
        String n = name;
        for (int k = 1; !names.add(n); k++) n = name + "_" + k;
        return n;
    }

    private String tmp(String name) { return unique(name); }

    private void node(String op, String name, List<String> inputs, String out, Attr... attrs) {
        Map<String, Attr> m = new LinkedHashMap<>();
        for (Attr a : attrs) m.put(a.name(), a);
        String nm = name;
        for (int k = 1; !nodeNames.add(nm); k++) nm = name + "_" + k;
        nodes.add(new OnnxModel.Node(nm, op, "", List.copyOf(inputs), List.of(out), m));
    }

    /** A state-dict weight as an initializer under its own key. */
    private String weight(Node n, String param) {
        String key = n.weightKey(param);
        if (!inits.containsKey(key)) {
            Shape s = w.shape(key);
            float[] v = w.get(key);
            long[] d = new long[s.rank()];
            for (int i = 0; i < d.length; i++) d[i] = s.dim(i);
            names.add(key);
            inits.put(key, Tensor.ofFloats(key, v, d));
        }
        return key;
    }

    /** A per-channel weight reshaped to [C, 1, 1] so that it broadcasts over NCHW. */
    private String perChannel(Node n, String param, int channels) {
        String key = n.weightKey(param);
        float[] v = w.get(key);
        if (v.length != channels) throw new IllegalArgumentException("weight " + key + " has " + v.length + " values, expected " + channels);
        names.add(key);
        inits.putIfAbsent(key, Tensor.ofFloats(key, v, channels, 1, 1));
        return key;
    }

    private String longs(String name, long... v) {
        String k = unique(name);
        inits.put(k, Tensor.ofLongs(k, v, v.length));
        return k;
    }

    private String scalar(String name, float v) {
        if (!inits.containsKey(name)) { names.add(name); inits.put(name, Tensor.ofFloats(name, new float[] {v})); }
        return name;
    }
}
