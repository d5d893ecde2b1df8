package jcnn.graph;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import jcnn.ops.*;
import jcnn.tensor.Shape;

/**
 * Builds a {@link Graph} one layer at a time, inferring shapes as it goes, with calls that read like
 * a paper's table. Layers with weights take their PyTorch module name; the rest are named
 * automatically. Values are plain node ids ({@link Graph#INPUT} for the input).
 *
 * <pre>{@code
 * var b = new GraphBuilder("tiny", Shape.nchw(1, 3, 32, 32));
 * int x = b.conv("conv1", b.input(), 16, 3, 1, 1);
 * x = b.relu(b.bn("bn1", x));
 * Graph g = b.build(b.linear("fc", b.globalAvgPool(x), 10, true));
 * }</pre>
 */
public final class GraphBuilder {
    private final String name;
    private final Shape input;
    private final List<Node> nodes = new ArrayList<>();
    private final Set<String> names = new HashSet<>();

    public GraphBuilder(String name, Shape input) {
        if (input.rank() != 4) throw new IllegalArgumentException(name + ": input must be NCHW, got " + input);
        this.name = name;
        this.input = input;
    }

    public int input() { return Graph.INPUT; }
    public Shape shape(int v) { return v == Graph.INPUT ? input : nodes.get(v).shape(); }
    public int channels(int v) { return shape(v).c(); }

    /** Adds a node; the name must be unique ({@code null} picks "kind_id"). Returns its id. */
    public int add(String nodeName, Op op, int... inputs) {
        String n = nodeName != null ? nodeName : op.kind() + "_" + nodes.size();
        if (!names.add(n)) throw new IllegalArgumentException(name + ": duplicate node name " + n);
        Shape[] s = new Shape[inputs.length];
        for (int i = 0; i < inputs.length; i++) {
            if (inputs[i] != Graph.INPUT && (inputs[i] < 0 || inputs[i] >= nodes.size())) {
                throw new IllegalArgumentException(name + ": node " + n + " reads unknown value " + inputs[i]);
            }
            s[i] = shape(inputs[i]);
        }
        Shape out;
        try {
            out = op.outputShape(s);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(name + ": input " + input + " is not admitted: at layer " + n + ": " + e.getMessage(), e);
        }
        nodes.add(new Node(nodes.size(), n, op, inputs, out));
        return nodes.size() - 1;
    }

    // ---- layers with weights -------------------------------------------------------------------

    /** Conv without bias (the usual case before a BN). */
    public int conv(String n, int x, int outC, int k, int stride, int pad) { return conv(n, x, outC, k, stride, pad, 1, false); }

    public int conv(String n, int x, int outC, int k, int stride, int pad, int groups, boolean bias) {
        return add(n, Conv2d.of(channels(x), outC, k, stride, pad, groups).withBias(bias), x);
    }

    /** Depthwise conv: groups = channels. */
    public int dwConv(String n, int x, int k, int stride, int pad) {
        int c = channels(x);
        return conv(n, x, c, k, stride, pad, c, false);
    }

    public int bn(String n, int x) { return add(n, BatchNorm.of(channels(x)), x); }

    public int linear(String n, int x, int out, boolean bias) {
        Shape s = shape(x);
        return add(n, new Linear((int) (s.size() / s.n()), out, bias), x);
    }

    // ---- weightless layers ---------------------------------------------------------------------

    public int act(int x, Activation a) { return a == Activation.NONE ? x : add(null, new Act(a), x); }
    public int relu(int x) { return act(x, Activation.RELU); }
    public int relu6(int x) { return act(x, Activation.RELU6); }
    public int add(int a, int b) { return add(null, new Add(Activation.NONE), a, b); }
    public int addRelu(int a, int b) { return add(null, new Add(Activation.RELU), a, b); }
    public int concat(int... xs) { return add(null, new Concat(), xs); }
    public int slice(int x, int start, int count) { return add(null, new Slice(start, count), x); }
    public int shuffle(int x, int groups) { return add(null, new ChannelShuffle(groups), x); }
    public int maxPool(int x, int k, int s, int p, boolean ceil) { return add(null, new MaxPool(k, s, p, ceil), x); }
    public int avgPool(int x, int k, int s, int p, boolean ceil, boolean countPad) { return add(null, new AvgPool(k, s, p, ceil, countPad), x); }
    public int globalAvgPool(int x) { return add(null, new GlobalAvgPool(), x); }
    public int softmax(int x) { return add(null, new Softmax(), x); }
    /** Squeeze-and-excitation with reduction 16 (weights NAME.fc1.*, NAME.fc2.*). */
    public int se(String n, int x) { return add(n, SqueezeExcite.of(channels(x)), x); }

    /** The graph with {@code output} as its output. */
    public Graph build(int output) { return new Graph(name, input, nodes, output); }
}
