package jcnn.io.onnx;

import static org.junit.jupiter.api.Assertions.*;

import jcnn.graph.Graph;
import jcnn.graph.GraphBuilder;
import jcnn.graph.ReferenceExecutor;
import jcnn.graph.Weights;
import jcnn.ops.*;
import jcnn.tensor.Shape;
import jcnn.tensor.Tensor;
import org.junit.jupiter.api.Test;

/**
 * Export against ONNX Runtime on small graphs that use every op and every fused form: ORT runs our
 * exported model, ReferenceExecutor runs our graph, same weights and input.
 */
class ExportOrtTest {
    static final double RTOL = 1e-4, ATOL = 1e-5;

    /** Every plain op, odd sizes, ceil-mode pools, a residual conv with ReLU6 and a ChannelAffine. */
    static Graph everyOp(Shape in) {
        var b = new GraphBuilder("every_op", in);
        int x = b.conv("stem", b.input(), 8, 3, 2, 1);
        x = b.relu(b.bn("stem_bn", x));
        x = b.maxPool(x, 3, 2, 1, true);
        int y1 = b.relu6(b.conv("b1", x, 8, 1, 1, 0, 2, true));
        int y2 = b.dwConv("dw", x, 3, 1, 1);
        int s = b.addRelu(y1, y2);
        int c = b.concat(s, b.add(x, y2));
        c = b.shuffle(c, 4);
        int l = b.slice(c, 0, 8), r = b.slice(c, 8, 8);
        r = b.avgPool(r, 3, 1, 1, false, true);
        l = b.avgPool(l, 3, 1, 1, false, false);
        int cat = b.concat(l, r);
        int aff = b.add("aff", new ChannelAffine(16, Activation.RELU6), cat);
        int f = b.add("fused", Conv2d.of(16, 16, 3, 1, 1, 1).withBias(true).withAct(Activation.RELU).withResidual(true), aff, cat);
        int p = b.maxPool(f, 2, 2, 0, false);
        p = b.avgPool(p, 2, 1, 0, true, false);
        int gap = b.globalAvgPool(p);
        return b.build(b.softmax(b.linear("fc", gap, 10, true)));
    }

    static void check(Graph g, Weights w, Graph refGraph, long seed) {
        byte[] model = OnnxExporter.toBytes(g, w);
        try (Tensor x = NetData.randomInput(g.inputShape(), seed);
             Tensor ref = ReferenceExecutor.run(refGraph, w, x)) {
            Tensor got = Ort.run(model, x, 1);
            assertEquals(ref.shape(), got.shape());
            NetData.Error e = NetData.error(ref, got);
            assertTrue(NetData.close(ref, got, RTOL, ATOL), g.name() + " " + g.inputShape() + ": " + e);
        }
    }

    @Test
    void everyOpMatchesOrtAtBatchOneAndThree() {
        Graph g = everyOp(Shape.nchw(1, 3, 21, 19));
        Weights w = NetData.randomWeights(g, 1);
        check(g, w, g, 2);
        // one exported model, dynamic batch: run it at batch 3 against our graph at batch 3
        byte[] model = OnnxExporter.toBytes(g, w);
        Graph g3 = g.withInput(Shape.nchw(3, 3, 21, 19));
        try (Tensor x = NetData.randomInput(g3.inputShape(), 3); Tensor ref = ReferenceExecutor.run(g3, w, x)) {
            Tensor got = Ort.run(model, x, 1);
            assertTrue(NetData.close(ref, got, RTOL, ATOL), NetData.error(ref, got).toString());
        }
    }

    @Test
    void softmaxOverSpatialFeatures() {
        var b = new GraphBuilder("softmax4d", Shape.nchw(2, 3, 6, 5));
        int x = b.conv("c", b.input(), 4, 3, 1, 1, 1, true);
        Graph g = b.build(b.softmax(b.add(x, x)));
        check(g, NetData.randomWeights(g, 4), g, 5);
    }

    @Test
    void linearWithoutBiasOnAFlattenedMap() {
        var b = new GraphBuilder("fc_nobias", Shape.nchw(2, 3, 4, 5));
        Graph g = b.build(b.linear("head", b.relu(b.input()), 7, false));
        check(g, NetData.randomWeights(g, 6), g, 7);
    }

    /** A residual conv without activation: the Conv and the Add must still get distinct node names. */
    @Test
    void residualConvWithoutActivation() {
        var b = new GraphBuilder("res", Shape.nchw(1, 4, 5, 5));
        int x = b.relu(b.input());
        Graph g = b.build(b.add("c", Conv2d.of(4, 4, 3, 1, 1, 1).withResidual(true), x, x));
        check(g, NetData.randomWeights(g, 10), g, 11);
    }

    /** A compiled graph's conv with the input BN-ReLU prologue equals ChannelAffine(ReLU) then the conv. */
    @Test
    void inputBnReluPrologue() {
        Shape in = Shape.nchw(1, 6, 7, 7);
        var fb = new GraphBuilder("prologue", in);
        Graph fused = fb.build(fb.add("conv", Conv2d.of(6, 5, 3, 1, 1, 1).withInputBnRelu(true).withAct(Activation.RELU6), fb.input()));
        var rb = new GraphBuilder("prologue_ref", in);
        int a = rb.add("conv_in", new ChannelAffine(6, Activation.RELU), rb.input());
        Graph ref = rb.build(rb.add("conv", Conv2d.of(6, 5, 3, 1, 1, 1).withAct(Activation.RELU6), a));
        Weights w = NetData.randomWeights(ref, 8);
        w.put("conv.in_scale", Shape.of(6), w.get("conv_in.scale"));
        w.put("conv.in_shift", Shape.of(6), w.get("conv_in.shift"));
        check(fused, w, ref, 9);
    }
}
