package jcnn.io.onnx;

import static jcnn.io.onnx.OnnxProto.*;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import jcnn.io.onnx.OnnxModel.Attr;
import jcnn.io.onnx.OnnxModel.Node;
import jcnn.io.onnx.OnnxModel.Tensor;
import jcnn.io.onnx.OnnxModel.ValueInfo;

/** Serialises an {@link OnnxModel} to ModelProto bytes; tensors go to raw_data, little-endian. */
public final class OnnxWriter {
    private OnnxWriter() {}

    public static byte[] write(OnnxModel m) {
        ProtoMessage g = new ProtoMessage();
        for (Node n : m.graph().nodes()) g.message(GRAPH_NODE, node(n));
        g.string(GRAPH_NAME, m.graph().name());
        for (Tensor t : m.graph().initializers()) g.message(GRAPH_INITIALIZER, tensor(t));
        for (ValueInfo v : m.graph().inputs()) g.message(GRAPH_INPUT, valueInfo(v));
        for (ValueInfo v : m.graph().outputs()) g.message(GRAPH_OUTPUT, valueInfo(v));
        return new ProtoMessage()
            .int64(MODEL_IR_VERSION, m.irVersion())
            .string(MODEL_PRODUCER_NAME, m.producer())
            .message(MODEL_GRAPH, g)
            .message(MODEL_OPSET_IMPORT, new ProtoMessage().string(OPSET_DOMAIN, "").int64(OPSET_VERSION, m.opset()))
            .toByteArray();
    }

    private static ProtoMessage node(Node n) {
        ProtoMessage p = new ProtoMessage();
        for (String i : n.inputs()) p.string(NODE_INPUT, i);
        for (String o : n.outputs()) p.string(NODE_OUTPUT, o);
        p.string(NODE_NAME, n.name()).string(NODE_OP_TYPE, n.opType());
        if (n.domain() != null && !n.domain().isEmpty()) p.string(NODE_DOMAIN, n.domain());
        for (Attr a : n.attrs().values()) p.message(NODE_ATTRIBUTE, attr(a));
        return p;
    }

    private static ProtoMessage attr(Attr a) {
        ProtoMessage p = new ProtoMessage().string(A_NAME, a.name()).int64(A_TYPE, a.type());
        switch (a.type()) {
            case ATTR_INT -> p.int64(A_I, a.i());
            case ATTR_FLOAT -> p.float32(A_F, a.f());
            case ATTR_STRING -> p.string(A_S, a.s());
            case ATTR_INTS -> p.int64s(A_INTS, a.ints());
            case ATTR_FLOATS -> { for (float f : a.floats()) p.float32(A_FLOATS, f); }
            case ATTR_TENSOR -> p.message(A_T, tensor(a.t()));
            default -> throw new IllegalArgumentException("attribute " + a.name() + ": cannot write type " + a.type());
        }
        return p;
    }

    /** FLOAT and INT64 tensors only: the two types the exporter emits. */
    static ProtoMessage tensor(Tensor t) {
        ProtoMessage p = new ProtoMessage().int64s(T_DIMS, t.dims()).int64(T_DATA_TYPE, t.dataType());
        if (t.name() != null) p.string(T_NAME, t.name());
        ByteBuffer b;
        if (t.dataType() == FLOAT) {
            b = ByteBuffer.allocate(4 * t.floats().length).order(ByteOrder.LITTLE_ENDIAN);
            b.asFloatBuffer().put(t.floats());
        } else if (t.dataType() == INT64) {
            b = ByteBuffer.allocate(8 * t.longs().length).order(ByteOrder.LITTLE_ENDIAN);
            b.asLongBuffer().put(t.longs());
        } else {
            throw new IllegalArgumentException("tensor " + t.name() + ": cannot write data type " + t.dataType());
        }
        return p.bytes(T_RAW_DATA, b.array());
    }

    private static ProtoMessage valueInfo(ValueInfo v) {
        ProtoMessage shape = new ProtoMessage();
        for (int i = 0; i < v.dims().length; i++) {
            ProtoMessage d = new ProtoMessage();
            if (v.known(i)) d.int64(DIM_VALUE, v.dims()[i]);
            else d.string(DIM_PARAM, v.params()[i]);
            shape.message(SHAPE_DIM, d);
        }
        ProtoMessage tt = new ProtoMessage().int64(TT_ELEM_TYPE, v.elemType()).message(TT_SHAPE, shape);
        return new ProtoMessage().string(VI_NAME, v.name()).message(VI_TYPE, new ProtoMessage().message(TYPE_TENSOR, tt));
    }
}
