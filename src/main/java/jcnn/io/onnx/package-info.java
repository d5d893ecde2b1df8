/**
 * ONNX import and export.
 *
 * <p>Pipeline: bytes <-> {@link jcnn.io.onnx.OnnxModel} (plain records; {@link jcnn.io.onnx.OnnxReader},
 * {@link jcnn.io.onnx.OnnxWriter}) <-> jcnn Graph + Weights ({@link jcnn.io.onnx.OnnxImporter},
 * {@link jcnn.io.onnx.OnnxExporter}).
 *
 * <p>Export (opset 17, IR 8, batch dimension "N"): Conv (+bias), BatchNormalization, Relu, Clip(0, 6)
 * for ReLU6, Add, Concat, Slice, Reshape-Transpose-Reshape for channel shuffle, MaxPool / AveragePool
 * (ceil_mode, count_include_pad) / GlobalAveragePool, Flatten + Gemm(transB=1), Softmax; the fused
 * forms of a compiled graph (conv with activation, residual or input BN-ReLU; ChannelAffine) as the
 * equivalent Mul/Add/Relu/Clip sequence.
 *
 * <p>Import (opsets 9 to 23; tested at 9, 11, 17, 18): everything PyTorch emits for the five families,
 * see {@link jcnn.io.onnx.OnnxImporter#SUPPORTED}. Initializers from raw_data, float_data / int32_data /
 * int64_data / double_data, or external data files (relative to the model, never outside its
 * directory). Node names come from the initializer names ("features.0.weight" -> "features.0") or,
 * for exporter-generated weights ("onnx::Conv_12"), from the scope name ("/layer1/layer1.0/conv1/Conv"
 * -> "layer1.0.conv1"). Constraints, each rejected with a named error: square kernels, equal strides,
 * symmetric padding, dilation 1, channel-axis Concat/Split/Slice, one float NCHW input, one output.
 */
package jcnn.io.onnx;
