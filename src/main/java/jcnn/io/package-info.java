/**
 * Model I/O.
 *
 * <ul>
 *   <li>{@link jcnn.io.Safetensors}: state dicts in the safetensors format (memory-mapped load of
 *       F32/F16/BF16/F64, F32 save, strict header validation with {@link jcnn.io.Json}).</li>
 *   <li>{@link jcnn.io.onnx.OnnxExporter} / {@link jcnn.io.onnx.OnnxImporter}: ONNX on the protobuf
 *       wire format (protobuf-java's Coded streams, field numbers in OnnxProto, no generated code).</li>
 *   <li>{@link jcnn.io.onnx.Ort}: ONNX Runtime as the independent oracle (optional dependency; probe
 *       with {@link jcnn.io.onnx.OrtProbe#available()}).</li>
 * </ul>
 *
 * <p>Errors: corrupt or unsupported files throw one IllegalArgumentException whose one-line message
 * starts with the file and names the problem (and for ONNX the node); I/O failures throw IOException.
 */
package jcnn.io;
