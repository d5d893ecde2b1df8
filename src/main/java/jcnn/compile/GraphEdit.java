package jcnn.compile;

import java.util.List;
import jcnn.graph.Graph;
import jcnn.graph.Node;
import jcnn.graph.Weights;
import jcnn.ops.Op;
import jcnn.tensor.Shape;

/**
 * A mutable copy of a graph that one pass rewrites slot by slot, then {@link #build()}s into a new
 * immutable {@link Graph}. Each slot (one per original node) keeps a name, an op and inputs given as
 * ids of the original graph; a removed slot forwards its value to another slot ({@link #remove}).
 * The weights are copied by reference (the float arrays are shared, never mutated): a pass that
 * changes a weight puts a new array under the key.
 */
final class GraphEdit {
    final Graph g;
    final Weights src;
    final Weights out = new Weights();
    private final String[] name;
    private final Op[] op;
    private final int[][] in;
    private final int[] alias;
    private final List<List<Integer>> readers;

    GraphEdit(Compiled c) {
        this.g = c.graph();
        this.src = c.weights();
        int n = g.nodes().size();
        name = new String[n];
        op = new Op[n];
        in = new int[n][];
        alias = new int[n];
        for (Node node : g.nodes()) {
            name[node.id()] = node.name();
            op[node.id()] = node.op();
            in[node.id()] = node.inputs();
            alias[node.id()] = -2; // not removed
        }
        for (String k : src.keys()) out.put(k, src.shape(k), src.get(k));
        readers = g.consumers();
    }

    int size() { return op.length; }
    Op op(int id) { return op[id]; }
    String name(int id) { return name[id]; }
    int[] inputs(int id) { return in[id]; }
    int input(int id, int k) { return in[id][k]; }
    boolean removed(int id) { return alias[id] != -2; }
    Shape shape(int v) { return g.shapeOf(v); }

    /** Readers of value id in the original graph; the graph output counts as one more reader. */
    int readerCount(int id) { return readers.get(id).size() + (id == g.outputId() ? 1 : 0); }
    List<Integer> readers(int id) { return readers.get(id); }
    boolean isOutput(int id) { return id == g.outputId(); }

    /** Follows removed slots to the value that now stands for {@code v}. */
    int resolve(int v) {
        while (v != Graph.INPUT && removed(v)) v = alias[v];
        return v;
    }

    void set(int id, Op newOp) { op[id] = newOp; }
    void set(int id, String newName, Op newOp, int... inputs) { name[id] = newName; op[id] = newOp; in[id] = inputs.clone(); }
    void setInputs(int id, int... inputs) { in[id] = inputs.clone(); }

    /** Drops slot {@code id}; whoever read it reads {@code standIn} (a value id or {@link Graph#INPUT}). */
    void remove(int id, int standIn) {
        if (standIn == id) throw new IllegalStateException("slot " + id + " cannot stand in for itself");
        alias[id] = standIn;
    }

    float[] weight(int id, String param) { return out.get(name[id] + "." + param); }
    void putWeight(int id, String param, Shape s, float[] v) { out.put(name[id] + "." + param, s, v); }

    /** The rewritten graph: surviving slots in order, inputs resolved, shapes re-inferred. */
    Compiled build() {
        int n = op.length;
        int[] newId = new int[n];
        java.util.Arrays.fill(newId, -2);
        List<Node> nodes = new java.util.ArrayList<>();
        for (int i = 0; i < n; i++) {
            if (removed(i)) continue;
            int[] ins = new int[in[i].length];
            Shape[] shapes = new Shape[ins.length];
            for (int k = 0; k < ins.length; k++) {
                ins[k] = map(newId, in[i][k], name[i]);
                shapes[k] = ins[k] == Graph.INPUT ? g.inputShape() : nodes.get(ins[k]).shape();
            }
            newId[i] = nodes.size();
            nodes.add(new Node(nodes.size(), name[i], op[i], ins, op[i].outputShape(shapes)));
        }
        int output = map(newId, g.outputId(), "the graph output");
        return new Compiled(new Graph(g.name(), g.inputShape(), nodes, output), out);
    }

    private int map(int[] newId, int v, String who) {
        int r = resolve(v);
        if (r == Graph.INPUT) return r;
        if (newId[r] < 0) throw new IllegalStateException(g.name() + ": " + who + " reads slot " + r + " before it is placed");
        return newId[r];
    }
}
