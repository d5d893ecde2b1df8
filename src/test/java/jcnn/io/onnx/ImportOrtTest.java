package jcnn.io.onnx;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import jcnn.graph.ReferenceExecutor;
import jcnn.io.onnx.OnnxModel.Attr;
import jcnn.ops.*;
import jcnn.tensor.Shape;
import jcnn.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Import of models written in PyTorch's exporter idioms, each run by ONNX Runtime (the oracle) and
 * by our ReferenceExecutor on the imported graph.
 */
class ImportOrtTest {
    @TempDir Path dir;

    static OnnxImporter.Imported checkAgainstOrt(OnnxModel m, Path file) throws Exception {
        byte[] bytes = OnnxWriter.write(m);
        OnnxImporter.Imported im;
        if (file != null) { Files.write(file, bytes); im = OnnxImporter.load(file); }
        else im = OnnxImporter.fromBytes(bytes, "m", null);
        try (Tensor x = NetData.randomInput(im.graph().inputShape(), 3); Tensor ref = ReferenceExecutor.run(im.graph(), im.weights(), x)) {
            Tensor ort = Ort.run(file != null ? Files.readAllBytes(file) : bytes, x, 1);
            assertEquals(ref.shape().size(), ort.shape().size());
            assertTrue(NetData.close(ort, ref, 1e-4, 1e-5), NetData.error(ort, ref).toString());
        }
        return im;
    }

    /** Opset 11: Clip with Constant bounds, Split attribute, Max/Min ReLU6, a Shape-Gather-Unsqueeze-Concat shuffle, MatMul+Add. */
    @Test
    void opset11PyTorchIdioms() throws Exception {
        HandModel h = new HandModel();
        String c = h.node("Conv", List.of("x", h.weight("features.0.weight", 8, 4, 3, 3), h.weight("features.0.bias", 8)),
            Attr.ofInts("pads", 1, 1, 1, 1), Attr.ofInts("kernel_shape", 3, 3), Attr.ofInts("strides", 1, 1));
        String lo = h.node("Constant", List.of(), Attr.ofTensor("value", OnnxModel.Tensor.ofFloats("lo", new float[] {0f})));
        String hi = h.node("Constant", List.of(), Attr.ofTensor("value", OnnxModel.Tensor.ofFloats("hi", new float[] {6f})));
        String r6 = h.node("Clip", List.of(c, lo, hi));
        h.nodes("Split", List.of(r6), List.of("s1", "s2"), Attr.ofInt("axis", 1), Attr.ofInts("split", 3, 5));
        String a = h.node("Min", List.of(h.node("Max", List.of("s1", h.scalar("zero", 0f))), h.scalar("six", 6f)));
        String b = h.node("MaxPool", List.of("s2"), Attr.ofInts("kernel_shape", 3, 3), Attr.ofInts("pads", 1, 1, 1, 1));
        String cat = h.node("Concat", List.of(b, a), Attr.ofInt("axis", 1));
        String shape = h.node("Shape", List.of(cat));
        String n = h.node("Unsqueeze", List.of(h.node("Gather", List.of(shape, h.constScalar(0)), Attr.ofInt("axis", 0))), Attr.ofInts("axes", 0));
        String n0 = h.node("Squeeze", List.of(n), Attr.ofInts("axes", 0));
        String s5 = h.node("Concat", List.of(h.node("Unsqueeze", List.of(n0), Attr.ofInts("axes", 0)), h.constant(2, 4, 8, 8)), Attr.ofInt("axis", 0));
        String g = h.node("Reshape", List.of(cat, s5));
        String t = h.node("Transpose", List.of(g), Attr.ofInts("perm", 0, 2, 1, 3, 4));
        String sh = h.node("Reshape", List.of(t, h.constant(-1, 8, 8, 8)));
        String rm = h.node("ReduceMean", List.of(sh), Attr.ofInts("axes", 2, 3), Attr.ofInt("keepdims", 0));
        String mm = h.node("MatMul", List.of(rm, h.weight("fc.weight_t", 8, 5)));
        String lg = h.node("Add", List.of(mm, h.weight("fc.bias", 5)));
        String out = h.node("Softmax", List.of(lg), Attr.ofInt("axis", 1));
        var im = checkAgainstOrt(h.model(11, new long[] {0, 4, 8, 8}, out), null);
        assertEquals(1, im.graph().count(ChannelShuffle.class));
        assertEquals(2, im.graph().count(Slice.class));
        assertEquals(2, im.graph().count(Act.class));  // the Clip and the Max/Min pair, both ReLU6
        assertTrue(im.weights().has("features.0.weight") && im.weights().has("features.0.bias"));
        assertEquals(1, im.graph().count(Linear.class));
    }

    /** Opset 9: Clip attributes, BN after a BN-less conv, count_include_pad, Flatten + Gemm (transB 0, alpha, beta), Dropout, float_data. */
    @Test
    void opset9ClipAttributesAndGemm() throws Exception {
        HandModel h = new HandModel();
        String c = h.node("Conv", List.of("x", h.weight("conv1.weight", 6, 1, 3, 3)), Attr.ofInts("strides", 2, 2), Attr.ofInt("group", 3),
            Attr.ofInts("pads", 1, 1, 1, 1));
        String bn = h.node("BatchNormalization", List.of(c, h.weight("bn1.weight", 6), h.weight("bn1.bias", 6), h.weight("bn1.running_mean", 6),
            h.weight("bn1.running_var", 6)), Attr.ofFloat("epsilon", 1e-3f));
        String r = h.node("Clip", List.of(bn), Attr.ofFloat("min", 0f), Attr.ofFloat("max", 6f));
        String p = h.node("AveragePool", List.of(r), Attr.ofInts("kernel_shape", 3, 3), Attr.ofInts("strides", 2, 2), Attr.ofInts("pads", 1, 1, 1, 1),
            Attr.ofInt("count_include_pad", 1));
        String d = h.node("Dropout", List.of(h.node("Identity", List.of(h.node("Relu", List.of(p))))));
        String f = h.node("Flatten", List.of(h.node("GlobalAveragePool", List.of(d))));
        String out = h.node("Gemm", List.of(f, "head.weight", h.weight("head.bias", 4)), Attr.ofFloat("alpha", 0.5f), Attr.ofFloat("beta", 2f));
        // the Gemm weight travels in float_data rather than raw_data
        float[] wv = new float[6 * 4];
        for (int i = 0; i < wv.length; i++) wv[i] = (i % 7 - 3) * 0.1f;
        ProtoMessage t = new ProtoMessage().int64s(OnnxProto.T_DIMS, new long[] {6, 4}).int64(OnnxProto.T_DATA_TYPE, OnnxProto.FLOAT)
            .string(OnnxProto.T_NAME, "head.weight").packedFloats(OnnxProto.T_FLOAT_DATA, wv);
        Path file = dir.resolve("opset9.onnx");
        Files.write(file, appendInitializer(OnnxWriter.write(h.model(9, new long[] {0, 3, 11, 9}, out)), t));
        var im = OnnxImporter.load(file);
        float[] want = new float[wv.length];  // our Linear keeps [out, in]: B transposed, times alpha
        for (int i = 0; i < 6; i++) for (int o = 0; o < 4; o++) want[o * 6 + i] = 0.5f * wv[i * 4 + o];
        assertArrayEquals(want, im.weights().get("head.weight"));
        try (Tensor x = NetData.randomInput(im.graph().inputShape(), 3); Tensor ref = ReferenceExecutor.run(im.graph(), im.weights(), x)) {
            Tensor ort = Ort.run(file, x, 1);
            assertTrue(NetData.close(ort, ref, 1e-4, 1e-5), NetData.error(ort, ref).toString());
        }
        assertEquals(1e-3, ((BatchNorm) im.graph().nodes().stream().filter(n -> n.op() instanceof BatchNorm).findFirst().orElseThrow().op()).eps(), 1e-9);
    }

    /** Opset 18: Split sizes and ReduceMean axes as inputs, Slice on channels, external data next to the model. */
    @Test
    void opset18InputsAndExternalData() throws Exception {
        HandModel h = new HandModel();
        String c = h.node("Conv", List.of("x", "ext.weight"), Attr.ofInts("kernel_shape", 1, 1));
        h.nodes("Split", List.of(c, h.longs("sizes", 2, 6)), List.of("a", "b"), Attr.ofInt("axis", 1));
        String sl = h.node("Slice", List.of("b", h.longs("st", 1), h.longs("en", Long.MAX_VALUE), h.longs("ax", 1)));
        String cat = h.node("Concat", List.of("a", sl, "a"), Attr.ofInt("axis", -3));
        String sum = h.node("Add", List.of(cat, cat));
        String out = h.node("ReduceMean", List.of(sum, h.longs("axes", -1, -2)), Attr.ofInt("keepdims", 1));
        // the conv weight lives in weights.bin at offset 16
        float[] w = new float[8 * 3];
        for (int i = 0; i < w.length; i++) w[i] = (i % 5 - 2) * 0.25f;
        java.nio.ByteBuffer bb = java.nio.ByteBuffer.allocate(16 + 4 * w.length).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        bb.position(16);
        for (float v : w) bb.putFloat(v);
        Files.write(dir.resolve("weights.bin"), bb.array());
        OnnxModel m = h.model(18, new long[] {1, 3, 5, 5}, out);
        ProtoMessage t = new ProtoMessage().int64s(OnnxProto.T_DIMS, new long[] {8, 3, 1, 1}).int64(OnnxProto.T_DATA_TYPE, OnnxProto.FLOAT)
            .string(OnnxProto.T_NAME, "ext.weight");
        for (String[] kv : new String[][] {{"location", "weights.bin"}, {"offset", "16"}, {"length", "" + 4 * w.length}}) {
            t.message(OnnxProto.T_EXTERNAL_DATA, new ProtoMessage().string(OnnxProto.ENTRY_KEY, kv[0]).string(OnnxProto.ENTRY_VALUE, kv[1]));
        }
        t.int64(OnnxProto.T_DATA_LOCATION, OnnxProto.LOCATION_EXTERNAL);
        byte[] model = appendInitializer(OnnxWriter.write(m), t);
        Path f = dir.resolve("ext.onnx");
        Files.write(f, model);
        var im = OnnxImporter.load(f);
        assertArrayEquals(w, im.weights().get("ext.weight"));
        try (Tensor x = NetData.randomInput(im.graph().inputShape(), 3); Tensor ref = ReferenceExecutor.run(im.graph(), im.weights(), x)) {
            // ORT resolves external data relative to the model path, so give it the file
            Tensor ort = Ort.run(f, x, 1);
            assertTrue(NetData.close(ort, ref, 1e-4, 1e-5), NetData.error(ort, ref).toString());
        }
    }

    /** Symbolic H and W: refused without a shape, imported with one; a Div-Floor channel count in the shuffle subgraph. */
    @Test
    void symbolicSpatialDimsAndFloorInTheShapeSubgraph() throws Exception {
        HandModel h = new HandModel();
        String shape = h.node("Shape", List.of("x"));
        // c // 2 the way a float-typed exporter writes it: Cast, Div, Floor, Cast back
        String cf = h.node("Cast", List.of(h.node("Gather", List.of(shape, h.constScalar(1)))), Attr.ofInt("to", OnnxProto.FLOAT));
        String c = h.node("Cast", List.of(h.node("Floor", List.of(h.node("Div", List.of(cf, h.scalar("two", 2f)))))), Attr.ofInt("to", OnnxProto.INT64));
        String hh = h.node("Gather", List.of(shape, h.constScalar(2))), ww = h.node("Gather", List.of(shape, h.constScalar(3)));
        List<String> parts = new java.util.ArrayList<>();
        parts.add(h.constant(-1));
        parts.add(h.constant(2));
        for (String v : List.of(c, hh, ww)) parts.add(h.node("Unsqueeze", List.of(v, h.longs("ax" + v, 0))));
        String s5 = h.node("Concat", parts, Attr.ofInt("axis", 0));
        String t = h.node("Transpose", List.of(h.node("Reshape", List.of("x", s5))), Attr.ofInts("perm", 0, 2, 1, 3, 4));
        String out = h.node("Reshape", List.of(t, h.node("Shape", List.of("x"))));
        OnnxModel m = h.model(13, new long[] {0, 6, 0, 0}, out);
        var sym = new OnnxModel.ValueInfo("x", OnnxProto.FLOAT, new long[] {0, 6, 0, 0}, new String[] {"batch", null, "h", "w"});
        m = new OnnxModel(m.irVersion(), m.opset(), m.producer(), new OnnxModel.Graph("g", m.graph().nodes(), m.graph().initializers(), List.of(sym), m.graph().outputs()));
        byte[] bytes = OnnxWriter.write(m);
        var e = assertThrows(IllegalArgumentException.class, () -> OnnxImporter.fromBytes(bytes, "m", null));
        assertTrue(e.getMessage().contains("symbolic (h)"), e.getMessage());
        var im = OnnxImporter.fromBytes(bytes, "m", Shape.nchw(2, 6, 5, 3));
        assertEquals(1, im.graph().count(ChannelShuffle.class));
        try (Tensor x = NetData.randomInput(im.graph().inputShape(), 3); Tensor ref = ReferenceExecutor.run(im.graph(), im.weights(), x)) {
            Tensor ort = Ort.run(bytes, x, 1);
            assertTrue(NetData.close(ort, ref, 0, 0), NetData.error(ort, ref).toString());
        }
    }

    /** Appends one initializer to a model: a second ModelProto.graph field, which protobuf merges into the first. */
    static byte[] appendInitializer(byte[] model, ProtoMessage tensor) {
        byte[] extra = new ProtoMessage().message(OnnxProto.MODEL_GRAPH, new ProtoMessage().message(OnnxProto.GRAPH_INITIALIZER, tensor)).toByteArray();
        byte[] r = java.util.Arrays.copyOf(model, model.length + extra.length);
        System.arraycopy(extra, 0, r, model.length, extra.length);
        return r;
    }
}
