package jcnn.io.onnx;

import java.util.List;
import java.util.Map;

/**
 * The part of an ONNX ModelProto jcnn reads and writes, as plain records: the common form between
 * the wire format ({@link OnnxReader}, {@link OnnxWriter}) and our Graph ({@link OnnxImporter},
 * {@link OnnxExporter}). Tensors are decoded: float types to float[], integer types to long[].
 */
public record OnnxModel(long irVersion, int opset, String producer, Graph graph) {

    public record Graph(String name, List<Node> nodes, List<Tensor> initializers, List<ValueInfo> inputs,
                        List<ValueInfo> outputs) {}

    /** One node; an empty input name means an omitted optional input. */
    public record Node(String name, String opType, String domain, List<String> inputs, List<String> outputs,
                       Map<String, Attr> attrs) {
        public Attr attr(String n) { return attrs.get(n); }
        public long i(String n, long dflt) { Attr a = attrs.get(n); return a == null ? dflt : a.i(); }
        public float f(String n, float dflt) { Attr a = attrs.get(n); return a == null ? dflt : a.f(); }
        public long[] ints(String n) { Attr a = attrs.get(n); return a == null ? null : a.ints(); }
        public String s(String n, String dflt) { Attr a = attrs.get(n); return a == null ? dflt : a.s(); }
        public String input(int k) { return k < inputs.size() ? inputs.get(k) : ""; }
        public String describe() { return opType + " node '" + name + "'"; }
    }

    /** An attribute; only the field its {@code type} names is meaningful. */
    public record Attr(String name, int type, float f, long i, String s, Tensor t, float[] floats, long[] ints) {
        public static Attr ofInt(String n, long v) { return new Attr(n, OnnxProto.ATTR_INT, 0, v, null, null, null, null); }
        public static Attr ofFloat(String n, float v) { return new Attr(n, OnnxProto.ATTR_FLOAT, v, 0, null, null, null, null); }
        public static Attr ofInts(String n, long... v) { return new Attr(n, OnnxProto.ATTR_INTS, 0, 0, null, null, null, v); }
        public static Attr ofString(String n, String v) { return new Attr(n, OnnxProto.ATTR_STRING, 0, 0, v, null, null, null); }
        public static Attr ofTensor(String n, Tensor v) { return new Attr(n, OnnxProto.ATTR_TENSOR, 0, 0, null, v, null, null); }
    }

    /** A constant tensor: {@code floats} for FLOAT/FLOAT16/DOUBLE/BFLOAT16, {@code longs} for integer types. */
    public record Tensor(String name, int dataType, long[] dims, float[] floats, long[] longs) {
        public static Tensor ofFloats(String n, float[] v, long... dims) { return new Tensor(n, OnnxProto.FLOAT, dims, v, null); }
        public static Tensor ofLongs(String n, long[] v, long... dims) { return new Tensor(n, OnnxProto.INT64, dims, null, v); }
        public boolean isFloat() { return floats != null; }
        public long elements() { long e = 1; for (long d : dims) e *= d; return e; }
    }

    /** A graph input or output: element type and dims, a dim being a value (>= 0) or, when null, the named parameter. */
    public record ValueInfo(String name, int elemType, long[] dims, String[] params) {
        public boolean known(int i) { return params == null || params[i] == null; }
    }
}
