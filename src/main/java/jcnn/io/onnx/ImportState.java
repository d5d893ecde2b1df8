package jcnn.io.onnx;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import jcnn.graph.Graph;
import jcnn.graph.GraphBuilder;
import jcnn.graph.Weights;
import jcnn.io.onnx.OnnxModel.Node;
import jcnn.io.onnx.OnnxModel.Tensor;
import jcnn.ops.Op;
import jcnn.tensor.Shape;

/**
 * What the importer knows while it walks the ONNX nodes: each ONNX value is a node of our graph, a
 * constant (initializers and folded shape arithmetic), or a pending pattern (a 5-D shuffle view, a
 * MatMul waiting for its bias Add, a Max waiting for its Min) that becomes a node when first used
 * as a plain tensor. {@code views} holds ONNX's own dims where they differ from our NCHW shape
 * (after Flatten, or ReduceMean without keepdims).
 */
final class ImportState {
    /** A value whose node is not emitted yet; {@link #materialize} emits it. */
    interface Pending {
        int materialize(ImportState s);
        default String what() { return getClass().getSimpleName(); }
    }

    final GraphBuilder b;
    final Weights weights = new Weights();
    final int opset;
    private final Map<String, Integer> values = new HashMap<>();
    private final Map<String, Tensor> consts = new HashMap<>();
    private final Map<String, long[]> views = new HashMap<>();
    final Map<String, Pending> pending = new HashMap<>();
    private final Set<String> names = new HashSet<>();

    ImportState(String name, Shape input, String inputName, int opset) {
        this.b = new GraphBuilder(name, input);
        this.opset = opset;
        values.put(inputName, Graph.INPUT);
    }

    boolean isConst(String v) { return consts.containsKey(v); }
    boolean isPending(String v) { return pending.containsKey(v); }
    Tensor constant(String v) { return consts.get(v); }

    /** A constant input, or an error naming the value. */
    Tensor requireConst(String v, String what) {
        Tensor t = consts.get(v);
        if (t == null) throw new IllegalArgumentException(what + " '" + v + "' must be a constant (initializer or folded)");
        return t;
    }

    /** Our graph value for an ONNX value; emits a pending pattern's node on first use. */
    int value(String v) {
        Integer id = values.get(v);
        if (id != null) return id;
        Pending p = pending.remove(v);
        if (p != null) {
            int made = p.materialize(this);
            values.put(v, made);
            return made;
        }
        if (consts.containsKey(v)) throw new IllegalArgumentException("constant '" + v + "' used where a computed tensor is expected");
        throw new IllegalArgumentException("value '" + v + "' is not defined before use (missing initializer, or nodes out of order)");
    }

    boolean defined(String v) { return values.containsKey(v) || consts.containsKey(v) || pending.containsKey(v); }

    void define(String v, int id) { values.put(v, id); }
    void defineConst(String v, Tensor t) { consts.put(v, t); }
    void definePending(String v, Pending p) { pending.put(v, p); }

    /** {@code out} is {@code in} under another name (Identity, Dropout, Flatten, ...), with ONNX dims {@code view}. */
    void alias(String out, String in, long[] view) {
        if (consts.containsKey(in)) { consts.put(out, consts.get(in)); return; }
        values.put(out, value(in));
        if (view != null) views.put(out, view); else if (views.containsKey(in)) views.put(out, views.get(in));
    }

    void setView(String v, long[] dims) { views.put(v, dims); }

    /** ONNX dims of a tensor value: its view if it has one, else our shape. */
    long[] dims(String v) {
        long[] d = views.get(v);
        if (d != null) return d;
        Shape s = b.shape(value(v));
        long[] r = new long[s.rank()];
        for (int i = 0; i < r.length; i++) r[i] = s.dim(i);
        return r;
    }

    Shape shape(String v) { return b.shape(value(v)); }

    /** Adds a node of ours, with a unique name (null: automatic). */
    int add(String name, Op op, int... inputs) { return b.add(name == null ? null : unique(name), op, inputs); }

    String unique(String name) {
        String n = name;
        for (int k = 1; !names.add(n); k++) n = name + "_" + k;
        return n;
    }

    /**
     * The PyTorch module path of a node with weights: the weight initializer's name minus ".weight"
     * ("features.0.weight" -> "features.0"); else recovered from an exporter scope name such as
     * "/layer1/layer1.0/conv1/Conv" -> "layer1.0.conv1"; else "kind_N".
     */
    String module(String weightName, Node n, String kind) {
        if (weightName != null && !weightName.startsWith("onnx::") && weightName.lastIndexOf('.') > 0
            && weightName.matches(".*\\.(weight|scale)$")) {
            return weightName.substring(0, weightName.lastIndexOf('.'));
        }
        String path = "";
        String[] seg = n.name().split("/");
        for (int i = 0; i < seg.length - 1; i++) {
            String s = seg[i];
            if (s.isEmpty()) continue;
            path = path.isEmpty() || s.startsWith(path + ".") ? s : path + "." + s;
        }
        return path.isEmpty() ? kind + "_" + names.size() : path;
    }
}
