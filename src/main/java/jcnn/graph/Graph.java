package jcnn.graph;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import jcnn.ops.Op;
import jcnn.tensor.Shape;

/**
 * An inference graph: one input, nodes in topological order (each reads only earlier nodes or the
 * input), one output (the last node unless said otherwise). Immutable; shapes inferred at build time.
 */
public final class Graph {
    /** The id that stands for the graph's input in {@link Node#inputs()}. */
    public static final int INPUT = -1;

    private final String name;
    private final Shape input;
    private final List<Node> nodes;
    private final int output;

    public Graph(String name, Shape input, List<Node> nodes, int output) {
        this.name = name;
        this.input = input;
        this.nodes = List.copyOf(nodes);
        if (nodes.isEmpty()) throw new IllegalArgumentException("graph " + name + " has no nodes");
        if (output < 0 || output >= nodes.size()) throw new IllegalArgumentException("graph " + name + ": output node " + output + " out of range");
        this.output = output;
        for (int i = 0; i < this.nodes.size(); i++) {
            Node n = this.nodes.get(i);
            if (n.id() != i) throw new IllegalArgumentException("graph " + name + ": node " + n.name() + " has id " + n.id() + " at position " + i);
            for (int in : n.inputs()) {
                if (in != INPUT && (in < 0 || in >= i)) {
                    throw new IllegalArgumentException("graph " + name + ": node " + n.name() + " reads " + in + ", not an earlier node");
                }
            }
        }
    }

    public String name() { return name; }
    public Shape inputShape() { return input; }
    public List<Node> nodes() { return nodes; }
    public Node node(int id) { return nodes.get(id); }
    public int outputId() { return output; }
    public Node outputNode() { return nodes.get(output); }
    public Shape outputShape() { return nodes.get(output).shape(); }

    /** Shape of a value: a node's output or the graph input. */
    public Shape shapeOf(int id) { return id == INPUT ? input : nodes.get(id).shape(); }

    public Shape[] inputShapes(Node n) {
        int[] in = n.inputs();
        Shape[] s = new Shape[in.length];
        for (int i = 0; i < in.length; i++) s[i] = shapeOf(in[i]);
        return s;
    }

    /** Learned parameters (conv/linear weights and biases, BN gamma/beta; not BN running statistics). */
    public long params() {
        long p = 0;
        for (Node n : nodes) p += n.op().params();
        return p;
    }

    /** Multiply-accumulates of conv and linear nodes at this graph's input shape. */
    public long macs() {
        long m = 0;
        for (Node n : nodes) m += macs(n);
        return m;
    }

    public long macs(Node n) { return n.op().macs(inputShapes(n)); }

    /** For each node, the ids of nodes that read it (the output counts as read by the caller). */
    public List<List<Integer>> consumers() {
        List<List<Integer>> c = new ArrayList<>();
        for (int i = 0; i < nodes.size(); i++) c.add(new ArrayList<>());
        for (Node n : nodes) for (int in : n.inputs()) if (in != INPUT) c.get(in).add(n.id());
        return c;
    }

    /** The same graph for another input shape (another batch or resolution): every shape re-inferred. */
    public Graph withInput(Shape newInput) {
        List<Node> out = new ArrayList<>(nodes.size());
        for (Node n : nodes) {
            int[] in = n.inputs();
            Shape[] s = new Shape[in.length];
            for (int i = 0; i < in.length; i++) s[i] = in[i] == INPUT ? newInput : out.get(in[i]).shape();
            Shape o;
            try {
                o = n.op().outputShape(s);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(name + " does not admit input " + newInput + ": at node " + n.name() + ": " + e.getMessage(), e);
            }
            out.add(new Node(n.id(), n.name(), n.op(), in, o));
        }
        return new Graph(name, newInput, out, output);
    }

    /** Every weight this graph's nodes need, in node order: state-dict key -> shape. */
    public Map<String, Shape> weightShapes() {
        var m = new java.util.LinkedHashMap<String, Shape>();
        for (Node n : nodes) n.op().weightShapes().forEach((k, s) -> m.put(n.weightKey(k), s));
        return Collections.unmodifiableMap(m);
    }

    /** Number of nodes whose op is of the given type. */
    public long count(Class<? extends Op> type) { return nodes.stream().filter(n -> type.isInstance(n.op())).count(); }

    @Override public String toString() { return "Graph " + name + " " + input + " -> " + outputShape() + ", " + nodes.size() + " nodes"; }
}
