package jcnn.io.onnx;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import jcnn.graph.Graph;
import jcnn.io.onnx.OnnxModel.Attr;
import jcnn.tensor.Shape;

/**
 * Writes the seed corpus of {@link OnnxFuzzTest} (src/test/resources/jcnn/io/onnx/OnnxFuzzTestInputs/fuzz):
 * small valid models covering the importer's paths. Run once with the test classpath:
 * {@code java -cp target/classes:target/test-classes:DEPS jcnn.io.onnx.OnnxFuzzSeeds src/test/resources}.
 */
public final class OnnxFuzzSeeds {
    private OnnxFuzzSeeds() {}

    public static void main(String[] args) throws IOException {
        Path dir = Path.of(args[0], "jcnn/io/onnx/OnnxFuzzTestInputs/fuzz");
        Files.createDirectories(dir);
        Graph every = ExportOrtTest.everyOp(Shape.nchw(1, 3, 13, 13));
        Files.write(dir.resolve("every_op.onnx"), OnnxExporter.toBytes(every, NetData.randomWeights(every, 1)));

        HandModel conv = new HandModel();
        conv.weight("c.weight", 2, 3, 3, 3);
        conv.weight("c.bias", 2);
        String out = conv.node("Conv", List.of("x", "c.weight", "c.bias"), Attr.ofInts("pads", 1, 1, 1, 1), Attr.ofInts("strides", 2, 2));
        Files.write(dir.resolve("conv.onnx"), OnnxWriter.write(conv.model(11, new long[] {1, 3, 6, 6}, out)));

        HandModel head = new HandModel();
        String p = head.node("MaxPool", List.of("x"), Attr.ofInts("kernel_shape", 2, 2), Attr.ofInts("strides", 2, 2));
        String g = head.node("GlobalAveragePool", List.of(p));
        String f = head.node("Flatten", List.of(g));
        head.weight("fc.weight", 4, 3);
        head.weight("fc.bias", 4);
        String gemm = head.node("Gemm", List.of(f, "fc.weight", "fc.bias"), Attr.ofInt("transB", 1));
        String sm = head.node("Softmax", List.of(gemm));
        Files.write(dir.resolve("head.onnx"), OnnxWriter.write(head.model(17, new long[] {1, 3, 4, 4}, sm)));
    }
}
