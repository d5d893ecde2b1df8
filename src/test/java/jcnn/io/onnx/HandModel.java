package jcnn.io.onnx;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import jcnn.io.onnx.OnnxModel.Attr;
import jcnn.io.onnx.OnnxModel.Node;
import jcnn.io.onnx.OnnxModel.Tensor;
import jcnn.io.onnx.OnnxModel.ValueInfo;

/** Writes ONNX models the way PyTorch's exporter shapes them, node by node, for the import tests. */
final class HandModel {
    final List<Node> nodes = new ArrayList<>();
    final List<Tensor> inits = new ArrayList<>();
    private final SplittableRandom r = new SplittableRandom(5);
    private int k;

    String node(String op, List<String> in, Attr... attrs) {
        String out = op.toLowerCase() + "_" + (k++);
        nodes(op, in, List.of(out), attrs);
        return out;
    }

    void nodes(String op, List<String> in, List<String> out, Attr... attrs) {
        Map<String, Attr> m = new LinkedHashMap<>();
        for (Attr a : attrs) m.put(a.name(), a);
        nodes.add(new Node("/" + op + "_" + nodes.size(), op, "", in, out, m));
    }

    String weight(String name, long... dims) {
        long n = 1;
        for (long d : dims) n *= d;
        float[] v = new float[(int) n];
        for (int i = 0; i < v.length; i++) v[i] = (float) (r.nextDouble() - 0.5);
        if (name.endsWith("running_var")) for (int i = 0; i < v.length; i++) v[i] = 0.5f + Math.abs(v[i]);
        inits.add(Tensor.ofFloats(name, v, dims));
        return name;
    }

    String longs(String name, long... v) {
        inits.add(Tensor.ofLongs(name, v, v.length));
        return name;
    }

    String scalar(String name, float v) {
        inits.add(Tensor.ofFloats(name, new float[] {v}));
        return name;
    }

    String constant(long... v) {
        return node("Constant", List.of(), Attr.ofTensor("value", Tensor.ofLongs("c", v, v.length)));
    }

    /** A 0-D int64 Constant, as PyTorch's exporter makes for Gather indices. */
    String constScalar(long v) {
        return node("Constant", List.of(), Attr.ofTensor("value", Tensor.ofLongs("c", new long[] {v})));
    }

    OnnxModel model(int opset, long[] inputDims, String out) {
        String[] p = new String[inputDims.length];
        p[0] = "batch";
        ValueInfo in = new ValueInfo("x", OnnxProto.FLOAT, inputDims, p);
        ValueInfo o = new ValueInfo(out, OnnxProto.FLOAT, new long[0], new String[0]);
        return new OnnxModel(opset < 13 ? 6 : 8, opset, "hand", new OnnxModel.Graph("hand", nodes, inits, List.of(in), List.of(o)));
    }
}
