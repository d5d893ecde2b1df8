package jcnn.io.onnx;

import static jcnn.io.onnx.OnnxProto.*;

import com.google.protobuf.CodedInputStream;
import com.google.protobuf.WireFormat;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import jcnn.io.onnx.OnnxModel.Attr;
import jcnn.io.onnx.OnnxModel.Node;
import jcnn.io.onnx.OnnxModel.Tensor;
import jcnn.io.onnx.OnnxModel.ValueInfo;

/**
 * Reads a ModelProto straight off the wire format with {@link CodedInputStream}: only the fields
 * in {@link OnnxProto}, everything else skipped. Repeated scalars are accepted packed and unpacked.
 * Tensors are decoded on the spot from raw_data, float_data, int32_data, int64_data or double_data,
 * or from an external data file (located relative to {@code dir}). Malformed input throws
 * IllegalArgumentException (the importer adds the file name); I/O failures IOException.
 */
final class OnnxReader {
    private final ExternalData external;

    private OnnxReader(Path dir) {
        this.external = new ExternalData(dir);
    }

    /** Parses {@code bytes}; {@code dir} is where external data files are looked up (may be null). */
    static OnnxModel read(byte[] bytes, Path dir) throws IOException {
        CodedInputStream in = CodedInputStream.newInstance(bytes);
        in.enableAliasing(true);  // raw_data becomes a view of bytes, decoded once into float[]
        in.setRecursionLimit(64);
        try {
            return new OnnxReader(dir).model(in);
        } catch (com.google.protobuf.InvalidProtocolBufferException e) {
            // protobuf's message runs to several sentences; the first says what happened
            String why = e.getMessage() == null ? "" : e.getMessage().split("\\.\\s")[0].replace('\n', ' ');
            throw new IllegalArgumentException("truncated or not an ONNX model (" + why + ")");
        }
    }

    private OnnxModel model(CodedInputStream in) throws IOException {
        long ir = -1;
        int opset = -1;
        String producer = "";
        OnnxModel.Graph g = null;
        for (int tag; (tag = in.readTag()) != 0; ) {
            switch (WireFormat.getTagFieldNumber(tag)) {
                case MODEL_IR_VERSION -> ir = varint(in, tag);
                case MODEL_PRODUCER_NAME -> producer = string(in, tag);
                case MODEL_GRAPH -> {
                    // protobuf merges a repeated occurrence of a message field into the first
                    OnnxModel.Graph more = sub(in, tag, this::graph);
                    g = g == null ? more : merge(g, more);
                }
                case MODEL_OPSET_IMPORT -> {
                    long[] dv = sub(in, tag, this::opset);
                    if (dv[0] == 0) opset = (int) dv[1];
                }
                default -> in.skipField(tag);
            }
        }
        if (g == null || ir < 0) throw new IllegalArgumentException("not an ONNX model (no " + (g == null ? "graph" : "ir_version") + ")");
        if (opset < 0) throw new IllegalArgumentException("no opset_import for the default ONNX domain");
        return new OnnxModel(ir, opset, producer, g);
    }

    private static OnnxModel.Graph merge(OnnxModel.Graph a, OnnxModel.Graph b) {
        return new OnnxModel.Graph(b.name().isEmpty() ? a.name() : b.name(), concat(a.nodes(), b.nodes()),
            concat(a.initializers(), b.initializers()), concat(a.inputs(), b.inputs()), concat(a.outputs(), b.outputs()));
    }

    private static <T> List<T> concat(List<T> a, List<T> b) {
        List<T> r = new ArrayList<>(a);
        r.addAll(b);
        return r;
    }

    /** {isDefaultDomain ? 0 : 1, version}. */
    private long[] opset(CodedInputStream in) throws IOException {
        String domain = "";
        long v = -1;
        for (int tag; (tag = in.readTag()) != 0; ) {
            switch (WireFormat.getTagFieldNumber(tag)) {
                case OPSET_DOMAIN -> domain = string(in, tag);
                case OPSET_VERSION -> v = varint(in, tag);
                default -> in.skipField(tag);
            }
        }
        return new long[] {domain.isEmpty() || domain.equals("ai.onnx") ? 0 : 1, v};
    }

    private OnnxModel.Graph graph(CodedInputStream in) throws IOException {
        String name = "";
        List<Node> nodes = new ArrayList<>();
        List<Tensor> inits = new ArrayList<>();
        List<ValueInfo> inputs = new ArrayList<>(), outputs = new ArrayList<>();
        for (int tag; (tag = in.readTag()) != 0; ) {
            switch (WireFormat.getTagFieldNumber(tag)) {
                case GRAPH_NODE -> nodes.add(sub(in, tag, this::node));
                case GRAPH_NAME -> name = string(in, tag);
                case GRAPH_INITIALIZER -> inits.add(sub(in, tag, this::tensor));
                case GRAPH_SPARSE_INITIALIZER -> throw new IllegalArgumentException("sparse initializers are not supported");
                case GRAPH_INPUT -> inputs.add(sub(in, tag, this::valueInfo));
                case GRAPH_OUTPUT -> outputs.add(sub(in, tag, this::valueInfo));
                default -> in.skipField(tag);
            }
        }
        return new OnnxModel.Graph(name, nodes, inits, inputs, outputs);
    }

    private Node node(CodedInputStream in) throws IOException {
        List<String> inputs = new ArrayList<>(), outputs = new ArrayList<>();
        String name = "", op = "", domain = "";
        Map<String, Attr> attrs = new LinkedHashMap<>();
        for (int tag; (tag = in.readTag()) != 0; ) {
            switch (WireFormat.getTagFieldNumber(tag)) {
                case NODE_INPUT -> inputs.add(string(in, tag));
                case NODE_OUTPUT -> outputs.add(string(in, tag));
                case NODE_NAME -> name = string(in, tag);
                case NODE_OP_TYPE -> op = string(in, tag);
                case NODE_DOMAIN -> domain = string(in, tag);
                case NODE_ATTRIBUTE -> { Attr a = sub(in, tag, this::attr); attrs.put(a.name(), a); }
                default -> in.skipField(tag);
            }
        }
        return new Node(name, op, domain, inputs, outputs, attrs);
    }

    private Attr attr(CodedInputStream in) throws IOException {
        String name = "", s = null;
        int type = 0;
        float f = 0;
        long i = 0;
        Tensor t = null;
        List<Float> floats = new ArrayList<>();
        List<Long> ints = new ArrayList<>();
        for (int tag; (tag = in.readTag()) != 0; ) {
            switch (WireFormat.getTagFieldNumber(tag)) {
                case A_NAME -> name = string(in, tag);
                case A_TYPE -> type = (int) varint(in, tag);
                case A_F -> { expect(tag, WireFormat.WIRETYPE_FIXED32); f = in.readFloat(); }
                case A_I -> i = varint(in, tag);
                case A_S -> s = string(in, tag);
                case A_T -> t = sub(in, tag, this::tensor);
                case A_FLOATS -> floats(in, tag, floats);
                case A_INTS -> varints(in, tag, ints);
                default -> in.skipField(tag);
            }
        }
        float[] fa = new float[floats.size()];
        for (int k = 0; k < fa.length; k++) fa[k] = floats.get(k);
        return new Attr(name, type, f, i, s, t, fa, ints.stream().mapToLong(Long::longValue).toArray());
    }

    private ValueInfo valueInfo(CodedInputStream in) throws IOException {
        String name = "";
        Object[] type = {0, new ArrayList<Long>(), new ArrayList<String>()};
        for (int tag; (tag = in.readTag()) != 0; ) {
            switch (WireFormat.getTagFieldNumber(tag)) {
                case VI_NAME -> name = string(in, tag);
                case VI_TYPE -> type = sub(in, tag, this::typeProto);
                default -> in.skipField(tag);
            }
        }
        @SuppressWarnings("unchecked") List<Long> dims = (List<Long>) type[1];
        @SuppressWarnings("unchecked") List<String> params = (List<String>) type[2];
        return new ValueInfo(name, (Integer) type[0], dims.stream().mapToLong(Long::longValue).toArray(), params.toArray(String[]::new));
    }

    /** TypeProto -> {elemType, dims, params}; non-tensor types give elemType 0. */
    private Object[] typeProto(CodedInputStream in) throws IOException {
        Object[] r = {0, new ArrayList<Long>(), new ArrayList<String>()};
        for (int tag; (tag = in.readTag()) != 0; ) {
            if (WireFormat.getTagFieldNumber(tag) == TYPE_TENSOR) r = sub(in, tag, this::tensorType);
            else in.skipField(tag);
        }
        return r;
    }

    private Object[] tensorType(CodedInputStream in) throws IOException {
        int elem = 0;
        List<Long> dims = new ArrayList<>();
        List<String> params = new ArrayList<>();
        for (int tag; (tag = in.readTag()) != 0; ) {
            switch (WireFormat.getTagFieldNumber(tag)) {
                case TT_ELEM_TYPE -> elem = (int) varint(in, tag);
                case TT_SHAPE -> sub(in, tag, s -> {
                    for (int t; (t = s.readTag()) != 0; ) {
                        if (WireFormat.getTagFieldNumber(t) != SHAPE_DIM) { s.skipField(t); continue; }
                        sub(s, t, d -> {
                            long v = 0;
                            String p = "?";
                            for (int u; (u = d.readTag()) != 0; ) {
                                switch (WireFormat.getTagFieldNumber(u)) {
                                    case DIM_VALUE -> { v = varint(d, u); p = null; }
                                    case DIM_PARAM -> p = string(d, u);
                                    default -> d.skipField(u);
                                }
                            }
                            dims.add(v);
                            params.add(p);
                            return null;
                        });
                    }
                    return null;
                });
                default -> in.skipField(tag);
            }
        }
        return new Object[] {elem, dims, params};
    }

    private Tensor tensor(CodedInputStream in) throws IOException {
        TensorParts p = new TensorParts();
        for (int tag; (tag = in.readTag()) != 0; ) {
            switch (WireFormat.getTagFieldNumber(tag)) {
                case T_DIMS -> varints(in, tag, p.dims);
                case T_DATA_TYPE -> p.type = (int) varint(in, tag);
                case T_SEGMENT -> throw new IllegalArgumentException("segmented tensors are not supported");
                case T_NAME -> p.name = string(in, tag);
                case T_RAW_DATA -> p.raw = in.readByteBuffer();
                case T_FLOAT_DATA -> {
                    if (WireFormat.getTagWireType(tag) == WireFormat.WIRETYPE_LENGTH_DELIMITED) {
                        int old = in.pushLimit(in.readRawVarint32());
                        while (!in.isAtEnd()) p.addFloat(in.readFloat());
                        in.popLimit(old);
                    } else {
                        expect(tag, WireFormat.WIRETYPE_FIXED32);
                        p.addFloat(in.readFloat());
                    }
                }
                case T_INT32_DATA, T_INT64_DATA, T_UINT64_DATA -> varints(in, tag, p.intData);
                case T_DOUBLE_DATA -> doubles(in, tag, p.doubleData);
                case T_EXTERNAL_DATA -> { String[] kv = sub(in, tag, this::entry); p.external.put(kv[0], kv[1]); }
                case T_DATA_LOCATION -> p.location = (int) varint(in, tag);
                default -> in.skipField(tag);
            }
        }
        if (p.location == LOCATION_EXTERNAL) p.raw = java.nio.ByteBuffer.wrap(external.read(p.name, p.external));
        return p.decode();
    }

    private String[] entry(CodedInputStream in) throws IOException {
        String[] kv = {"", ""};
        for (int tag; (tag = in.readTag()) != 0; ) {
            switch (WireFormat.getTagFieldNumber(tag)) {
                case ENTRY_KEY -> kv[0] = string(in, tag);
                case ENTRY_VALUE -> kv[1] = string(in, tag);
                default -> in.skipField(tag);
            }
        }
        return kv;
    }

    // ---- wire helpers --------------------------------------------------------------------------

    interface Parser<T> { T parse(CodedInputStream in) throws IOException; }

    /** Parses one length-delimited sub-message in place (no copy) within a pushed limit. */
    static <T> T sub(CodedInputStream in, int tag, Parser<T> p) throws IOException {
        expect(tag, WireFormat.WIRETYPE_LENGTH_DELIMITED);
        int len = in.readRawVarint32();
        if (len < 0) throw new IllegalArgumentException("negative message length");
        int old = in.pushLimit(len);
        T r = p.parse(in);
        if (!in.isAtEnd()) throw new IllegalArgumentException("malformed message");
        in.popLimit(old);
        return r;
    }

    static void expect(int tag, int wireType) {
        if (WireFormat.getTagWireType(tag) != wireType) {
            throw new IllegalArgumentException("field " + WireFormat.getTagFieldNumber(tag) + " has wire type "
                + WireFormat.getTagWireType(tag) + ", expected " + wireType);
        }
    }

    static long varint(CodedInputStream in, int tag) throws IOException {
        expect(tag, WireFormat.WIRETYPE_VARINT);
        return in.readInt64();
    }

    static String string(CodedInputStream in, int tag) throws IOException {
        expect(tag, WireFormat.WIRETYPE_LENGTH_DELIMITED);
        return in.readStringRequireUtf8();
    }

    static void varints(CodedInputStream in, int tag, List<Long> out) throws IOException {
        if (WireFormat.getTagWireType(tag) == WireFormat.WIRETYPE_LENGTH_DELIMITED) {
            int old = in.pushLimit(in.readRawVarint32());
            while (!in.isAtEnd()) out.add(in.readInt64());
            in.popLimit(old);
        } else {
            out.add(varint(in, tag));
        }
    }

    static void floats(CodedInputStream in, int tag, List<Float> out) throws IOException {
        if (WireFormat.getTagWireType(tag) == WireFormat.WIRETYPE_LENGTH_DELIMITED) {
            int old = in.pushLimit(in.readRawVarint32());
            while (!in.isAtEnd()) out.add(in.readFloat());
            in.popLimit(old);
        } else {
            expect(tag, WireFormat.WIRETYPE_FIXED32);
            out.add(in.readFloat());
        }
    }

    static void doubles(CodedInputStream in, int tag, List<Double> out) throws IOException {
        if (WireFormat.getTagWireType(tag) == WireFormat.WIRETYPE_LENGTH_DELIMITED) {
            int old = in.pushLimit(in.readRawVarint32());
            while (!in.isAtEnd()) out.add(in.readDouble());
            in.popLimit(old);
        } else {
            expect(tag, WireFormat.WIRETYPE_FIXED64);
            out.add(in.readDouble());
        }
    }
}
