package jcnn.io.onnx;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Path;
import jcnn.graph.Graph;
import jcnn.graph.GraphBuilder;
import jcnn.graph.ReferenceExecutor;
import jcnn.graph.Weights;
import jcnn.ops.*;
import jcnn.tensor.Shape;
import jcnn.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Export then import gives back a graph that computes the original's output, with PyTorch names kept. */
class RoundTripTest {
    @TempDir Path dir;

    static void sameOutput(Graph a, Weights wa, Graph b, Weights wb, long seed) {
        try (Tensor x = NetData.randomInput(a.inputShape(), seed);
             Tensor ra = ReferenceExecutor.run(a, wa, x); Tensor rb = ReferenceExecutor.run(b, wb, x)) {
            assertTrue(NetData.close(ra, rb, 1e-5, 1e-6), NetData.error(ra, rb).toString());
        }
    }

    @Test
    void everyOpGraphThroughAFile() throws Exception {
        Graph g = ExportOrtTest.everyOp(Shape.nchw(1, 3, 21, 19));
        Weights w = NetData.randomWeights(g, 11);
        Path f = dir.resolve("every_op.onnx");
        OnnxExporter.write(g, w, f);
        OnnxImporter.Imported im = OnnxImporter.load(f);
        assertEquals(g.inputShape(), im.graph().inputShape());
        assertEquals(OnnxExporter.OPSET, im.opset());
        sameOutput(g, w, im.graph(), im.weights(), 12);
        // module names survive: conv, BN and linear weights under their state-dict keys
        for (String k : new String[] {"stem.weight", "stem_bn.running_var", "b1.bias", "fc.weight", "fused.bias"}) {
            assertArrayEquals(w.get(k), im.weights().get(k), k);
        }
        assertEquals(g.count(ChannelShuffle.class), im.graph().count(ChannelShuffle.class));
        assertEquals(g.count(Slice.class), im.graph().count(Slice.class));
        assertEquals(g.count(Conv2d.class), im.graph().count(Conv2d.class));
    }

    @Test
    void compiledFormsComeBackAsPlainOps() {
        Shape in = Shape.nchw(1, 6, 7, 7);
        var fb = new GraphBuilder("prologue", in);
        Graph fused = fb.build(fb.add("conv", Conv2d.of(6, 5, 3, 1, 1, 1).withInputBnRelu(true).withAct(Activation.RELU6), fb.input()));
        var rb = new GraphBuilder("prologue_ref", in);
        int a = rb.add("conv_in", new ChannelAffine(6, Activation.RELU), rb.input());
        Graph ref = rb.build(rb.add("conv", Conv2d.of(6, 5, 3, 1, 1, 1).withAct(Activation.RELU6), a));
        Weights w = NetData.randomWeights(ref, 8);
        w.put("conv.in_scale", Shape.of(6), w.get("conv_in.scale"));
        w.put("conv.in_shift", Shape.of(6), w.get("conv_in.shift"));
        var im = OnnxImporter.fromBytes(OnnxExporter.toBytes(fused, w), "prologue", null);
        sameOutput(ref, w, im.graph(), im.weights(), 13);
    }

    @Test
    void batchThreeModelImportsAtItsBatch() {
        Graph g = ExportOrtTest.everyOp(Shape.nchw(1, 3, 21, 19));
        Weights w = NetData.randomWeights(g, 14);
        var im = OnnxImporter.fromBytes(OnnxExporter.toBytes(g, w), "x", Shape.nchw(3, 3, 21, 19));
        assertEquals(3, im.graph().inputShape().n());
        sameOutput(g.withInput(Shape.nchw(3, 3, 21, 19)), w, im.graph(), im.weights(), 15);
    }
}
