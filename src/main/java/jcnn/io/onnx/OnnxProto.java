package jcnn.io.onnx;

/**
 * Field numbers and enum values of onnx.proto (onnx/onnx, proto2) for the messages jcnn reads and
 * writes; everything else is skipped on read. Written from the spec, not generated.
 */
final class OnnxProto {
    private OnnxProto() {}

    // ModelProto
    static final int MODEL_IR_VERSION = 1, MODEL_PRODUCER_NAME = 2, MODEL_PRODUCER_VERSION = 3, MODEL_GRAPH = 7,
        MODEL_OPSET_IMPORT = 8;
    // OperatorSetIdProto
    static final int OPSET_DOMAIN = 1, OPSET_VERSION = 2;
    // GraphProto
    static final int GRAPH_NODE = 1, GRAPH_NAME = 2, GRAPH_INITIALIZER = 5, GRAPH_SPARSE_INITIALIZER = 15,
        GRAPH_INPUT = 11, GRAPH_OUTPUT = 12;
    // NodeProto
    static final int NODE_INPUT = 1, NODE_OUTPUT = 2, NODE_NAME = 3, NODE_OP_TYPE = 4, NODE_ATTRIBUTE = 5, NODE_DOMAIN = 7;
    // AttributeProto
    static final int A_NAME = 1, A_F = 2, A_I = 3, A_S = 4, A_T = 5, A_G = 6, A_FLOATS = 7, A_INTS = 8, A_TYPE = 20;
    // AttributeProto.AttributeType
    static final int ATTR_FLOAT = 1, ATTR_INT = 2, ATTR_STRING = 3, ATTR_TENSOR = 4, ATTR_GRAPH = 5, ATTR_FLOATS = 6,
        ATTR_INTS = 7;
    // ValueInfoProto / TypeProto / TypeProto.Tensor / TensorShapeProto / Dimension
    static final int VI_NAME = 1, VI_TYPE = 2;
    static final int TYPE_TENSOR = 1;
    static final int TT_ELEM_TYPE = 1, TT_SHAPE = 2;
    static final int SHAPE_DIM = 1;
    static final int DIM_VALUE = 1, DIM_PARAM = 2;
    // TensorProto
    static final int T_DIMS = 1, T_DATA_TYPE = 2, T_SEGMENT = 3, T_FLOAT_DATA = 4, T_INT32_DATA = 5, T_INT64_DATA = 7,
        T_NAME = 8, T_RAW_DATA = 9, T_DOUBLE_DATA = 10, T_UINT64_DATA = 11, T_EXTERNAL_DATA = 13, T_DATA_LOCATION = 14;
    // StringStringEntryProto
    static final int ENTRY_KEY = 1, ENTRY_VALUE = 2;
    // TensorProto.DataType
    static final int FLOAT = 1, UINT8 = 2, INT8 = 3, UINT16 = 4, INT16 = 5, INT32 = 6, INT64 = 7, BOOL = 9, FLOAT16 = 10,
        DOUBLE = 11, UINT32 = 12, UINT64 = 13, BFLOAT16 = 16;
    static final int LOCATION_EXTERNAL = 1;
}
