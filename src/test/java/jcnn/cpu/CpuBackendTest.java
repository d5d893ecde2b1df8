package jcnn.cpu;

import java.util.SplittableRandom;
import jcnn.compile.NativeWeights;
import jcnn.compile.Plan;
import jcnn.compile.SyntheticWeights;
import jcnn.graph.Graph;
import jcnn.graph.GraphBuilder;
import jcnn.graph.ReferenceExecutor;
import jcnn.graph.Weights;
import jcnn.ops.*;
import jcnn.tensor.Shape;
import jcnn.testing.Compare;
import jcnn.testing.TestData;
import jcnn.tensor.Tensor;
import org.junit.jupiter.api.Test;

/**
 * Each step of the CPU backend (two threads) against the scalar reference, one op per graph, over
 * shapes that hit every edge: kernel 1/3/7, stride 1/2, padding, groups 1/g/depthwise, channel
 * counts around the 4-row block and the vector width, odd and prime sizes, batch 1 and 3, bias,
 * residual, activations, the BN-ReLU prologue; outputs poisoned with NaN.
 */
class CpuBackendTest {
    private static final int V = Vec.L;

    private static void check(String what, Graph g, Weights w, long seed, long reduction) {
        try (var arena = java.lang.foreign.Arena.ofConfined();
             Tensor in = TestData.random(g.inputShape(), new SplittableRandom(seed));
             Tensor ref = ReferenceExecutor.run(g, w, in);
             Tensor got = TestData.output(ref.shape());
             Plan p = Plan.build(g, CpuBackend.of(2), new NativeWeights(w, arena))) {
            p.poison();
            p.run(in, got);
            Compare.close(what, seed, reduction, ref, got);
        }
    }

    @Test
    void convsMatchTheReference() {
        long seed = TestData.freshSeed();
        SplittableRandom r = new SplittableRandom(seed);
        int[][] cases = { // inC, outC, k, stride, pad, groups, H, W
            {3, 8, 3, 2, 1, 1, 17, 17}, {3, 5, 7, 2, 3, 1, 23, 19}, {16, 7, 1, 1, 0, 1, V + 1, 3}, {V - 1, V + 1, 1, 1, 0, 1, 5, 7},
            {8, 12, 3, 1, 1, 4, 9, 9}, {12, 12, 1, 1, 0, 3, 11, 5}, {8, 8, 1, 2, 0, 1, 13, 13}, {10, 6, 3, 2, 1, 2, 7, 8},
            {6, 6, 3, 1, 1, 6, 2 * V + 3, 9}, {6, 6, 3, 2, 1, 6, 13, 13}, {5, 5, 3, 1, 1, 5, 1, 1}, {4, 4, 3, 2, 1, 2, 1, 2},
            {9, 9, 3, 1, 0, 9, V + 2, 5}, {3, 2, 3, 1, 0, 1, 3, 3}};
        Activation[] acts = Activation.values();
        for (int[] c : cases) {
            for (int batch : new int[] {1, 3}) {
                for (int variant = 0; variant < 3; variant++) {
                    boolean bias = variant != 1, residual = variant == 2;
                    Conv2d op = Conv2d.of(c[0], c[1], c[2], c[3], c[4], c[5]).withBias(bias).withAct(acts[r.nextInt(3)]);
                    Shape in = Shape.nchw(batch, c[0], c[6], c[7]);
                    var b = new GraphBuilder("conv", in);
                    int y;
                    if (residual) {
                        int side = b.add("side", Conv2d.of(c[0], c[1], c[2], c[3], c[4], 1), b.input());
                        y = b.add("conv", op.withResidual(true), b.input(), side);
                    } else {
                        y = b.add("conv", op, b.input());
                    }
                    Graph g = b.build(y);
                    check(op + " " + in, g, SyntheticWeights.of(g, seed), seed, (long) c[0] / c[5] * c[2] * c[2] * 2);
                }
            }
        }
    }

    @Test
    void pointwiseWithBnReluPrologue() {
        long seed = TestData.freshSeed();
        for (int[] c : new int[][] {{13, 9, 6, 5}, {32, 16, 4, 4}, {V + 3, 4, 7, 7}}) {
            Shape in = Shape.nchw(2, c[0], c[2], c[3]);
            var b = new GraphBuilder("prologue", in);
            Graph g = b.build(b.add("conv", Conv2d.of(c[0], c[1], 1, 1, 0, 1).withBias(true).withAct(Activation.RELU).withInputBnRelu(true), b.input()));
            Weights w = SyntheticWeights.of(g, seed);
            SplittableRandom r = new SplittableRandom(seed);
            float[] s = new float[c[0]], t = new float[c[0]];
            for (int i = 0; i < c[0]; i++) { s[i] = (float) r.nextDouble(-1, 1); t[i] = (float) r.nextDouble(-0.5, 0.5); }
            w.put("conv.in_scale", Shape.of(c[0]), s);
            w.put("conv.in_shift", Shape.of(c[0]), t);
            check("prologue " + in, g, w, seed, c[0]);
        }
    }

    @Test
    void lightOpsMatchTheReference() {
        long seed = TestData.freshSeed();
        Shape in = Shape.nchw(2, 6, 11, 9);
        Op[] ops = {new ChannelAffine(6, Activation.RELU6), new Act(Activation.RELU), new ChannelShuffle(3), new MaxPool(3, 2, 1, false),
            new MaxPool(3, 2, 0, true), new AvgPool(3, 2, 1, false, true), new AvgPool(2, 2, 0, false, false), new AvgPool(3, 2, 1, true, false),
            new GlobalAvgPool(), new Softmax(), new Slice(2, 3)};
        for (Op op : ops) {
            var b = new GraphBuilder("op", in);
            Graph g = b.build(b.add("op", op, b.input()));
            check(op.toString(), g, SyntheticWeights.of(g, seed), seed, 99);
        }
        // a shuffle big enough to be split over the pool (>= 64 KB per item), items crossing the image boundary
        Shape big = Shape.nchw(2, 12, 64, 64);
        var bs = new GraphBuilder("shuffle", big);
        Graph gs = bs.build(bs.add("op", new ChannelShuffle(3), bs.input()));
        check("shuffle split over the pool " + big, gs, SyntheticWeights.of(gs, seed), seed, 1);
        var b = new GraphBuilder("add", in);
        Graph g = b.build(b.add("add", new Add(Activation.RELU), b.input(), b.add("aff", new ChannelAffine(6, Activation.NONE), b.input())));
        check("add", g, SyntheticWeights.of(g, seed), seed, 2);
        b = new GraphBuilder("linear", in);
        g = b.build(b.linear("fc", b.globalAvgPool(b.input()), 2 * V + 3, true));
        check("linear", g, SyntheticWeights.of(g, seed), seed, 6);
        b = new GraphBuilder("linear_flat", Shape.nchw(3, 5, 3, 3));
        g = b.build(b.softmax(b.linear("fc", b.input(), 7, false)));
        check("linear flat", g, SyntheticWeights.of(g, seed), seed, 45);
    }
}
