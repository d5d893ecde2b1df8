package jcnn.io.onnx;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;
import jcnn.graph.Graph;
import jcnn.graph.Weights;
import jcnn.io.onnx.OnnxModel.Attr;
import jcnn.tensor.Shape;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Bad models fail with one IllegalArgumentException whose one-line message names the file and the problem. */
class BadModelTest {
    @TempDir Path dir;

    private IllegalArgumentException fails(byte[] model, String expected) throws Exception {
        Path f = dir.resolve("bad" + System.nanoTime() + ".onnx");
        Files.write(f, model);
        var e = assertThrows(IllegalArgumentException.class, () -> OnnxImporter.load(f));
        assertTrue(e.getMessage().startsWith(f + ": "), e.getMessage());
        assertFalse(e.getMessage().contains("\n"), "one line: " + e.getMessage());
        if (expected != null) assertTrue(e.getMessage().contains(expected), e.getMessage());
        return e;
    }

    private static byte[] good() {
        Graph g = ExportOrtTest.everyOp(Shape.nchw(1, 3, 21, 19));
        Weights w = NetData.randomWeights(g, 1);
        return OnnxExporter.toBytes(g, w);
    }

    @Test
    void truncatedAnywhere() throws Exception {
        byte[] b = good();
        for (int cut = 1; cut < b.length; cut += Math.max(1, b.length / 53)) fails(java.util.Arrays.copyOf(b, cut), null);
        fails(new byte[0], "not an ONNX model");
    }

    @Test
    void notOnnxAtAll() throws Exception {
        fails("hello, this is a text file\n".getBytes(StandardCharsets.UTF_8), null);
        fails(new byte[] {8, 0, 0, 0, 0, 0, 0, 0, '{', '}'}, null);  // a safetensors header
    }

    @Test
    void randomCorruptionOnlyEverGivesIllegalArgument() throws Exception {
        byte[] b = good();
        SplittableRandom r = new SplittableRandom(99);
        for (int k = 0; k < 200; k++) {
            byte[] c = b.clone();
            for (int j = 0; j < 1 + r.nextInt(4); j++) c[r.nextInt(Math.min(c.length, 4000))] = (byte) r.nextInt(256);
            Path f = dir.resolve("fuzz.onnx");
            Files.write(f, c);
            try {
                OnnxImporter.load(f);  // a flip inside a weight's bytes is still a valid model
            } catch (IllegalArgumentException e) {
                assertTrue(e.getMessage().startsWith(f + ": "), e.getMessage());
                assertFalse(e.getMessage().contains("\n"), e.getMessage());
            }
        }
    }

    private static OnnxModel convModel(int opset, String weight, Attr... convAttrs) {
        HandModel h = new HandModel();
        h.weight("c.weight", 4, 3, 3, 3);
        String out = h.node("Conv", List.of("x", weight), convAttrs);
        return h.model(opset, new long[] {1, 3, 8, 8}, out);
    }

    @Test
    void unsupportedOpIsNamedWithItsNode() throws Exception {
        HandModel h = new HandModel();
        String out = h.node("Sigmoid", List.of("x"));
        var e = fails(OnnxWriter.write(h.model(17, new long[] {1, 3, 4, 4}, out)), "unsupported op Sigmoid");
        assertTrue(e.getMessage().contains("node '/Sigmoid_0'"), e.getMessage());
    }

    @Test
    void missingInitializer() throws Exception {
        fails(OnnxWriter.write(convModel(17, "nope.weight")), "value 'nope.weight' is not defined");
    }

    @Test
    void asymmetricPadding() throws Exception {
        fails(OnnxWriter.write(convModel(17, "c.weight", Attr.ofInts("pads", 0, 0, 1, 1))), "asymmetric padding [0, 0, 1, 1]");
    }

    @Test
    void inconsistentShapes() throws Exception {
        HandModel h = new HandModel();
        h.weight("c.weight", 4, 5, 3, 3);  // 5 input channels for a 3-channel input
        String out = h.node("Conv", List.of("x", "c.weight"));
        fails(OnnxWriter.write(h.model(17, new long[] {1, 3, 8, 8}, out)), "inconsistent shapes");
        HandModel a = new HandModel();
        String p = a.node("MaxPool", List.of("x"), Attr.ofInts("kernel_shape", 2, 2), Attr.ofInts("strides", 2, 2));
        fails(OnnxWriter.write(a.model(17, new long[] {1, 3, 8, 8}, a.node("Add", List.of("x", p)))), "inconsistent shapes");
    }

    @Test
    void unsupportedOpsetAndClipRange() throws Exception {
        fails(OnnxWriter.write(convModel(7, "c.weight")), "opset 7 is not supported");
        HandModel h = new HandModel();
        String out = h.node("Clip", List.of("x", h.scalar("lo", -1f), h.scalar("hi", 1f)));
        fails(OnnxWriter.write(h.model(13, new long[] {1, 3, 4, 4}, out)), "Clip(-1.0, 1.0) is not supported");
    }

    @Test
    void externalDataOutsideTheModelDirectory() throws Exception {
        HandModel h = new HandModel();
        String out = h.node("Conv", List.of("x", "ext.weight"));
        ProtoMessage t = new ProtoMessage().int64s(OnnxProto.T_DIMS, new long[] {2, 3, 1, 1}).int64(OnnxProto.T_DATA_TYPE, OnnxProto.FLOAT)
            .string(OnnxProto.T_NAME, "ext.weight")
            .message(OnnxProto.T_EXTERNAL_DATA, new ProtoMessage().string(OnnxProto.ENTRY_KEY, "location").string(OnnxProto.ENTRY_VALUE, "../../etc/passwd"))
            .int64(OnnxProto.T_DATA_LOCATION, OnnxProto.LOCATION_EXTERNAL);
        fails(ImportOrtTest.appendInitializer(OnnxWriter.write(h.model(17, new long[] {1, 3, 4, 4}, out)), t), "outside the model's directory");
    }
}
