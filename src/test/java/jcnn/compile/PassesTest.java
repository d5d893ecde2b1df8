package jcnn.compile;

import static org.junit.jupiter.api.Assertions.*;

import java.util.SplittableRandom;
import jcnn.graph.Graph;
import jcnn.graph.ReferenceExecutor;
import jcnn.graph.Weights;
import jcnn.ops.*;
import jcnn.tensor.Tensor;
import jcnn.testing.Compare;
import jcnn.testing.TestData;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

/**
 * Each pass, and all of them, preserve the output: the rewritten graph run by the reference
 * executor matches the original graph run by the reference executor. The only numeric change is
 * BN folding (the conv weights are scaled in float32 once), so the tolerance is tight.
 */
class PassesTest {
    static String[] nets() { return TinyNets.ALL; }

    @ParameterizedTest
    @MethodSource("nets")
    void everyPassPreservesTheOutput(String id) {
        long seed = TestData.freshSeed();
        for (int batch : new int[] {1, 2}) {
            Graph g = TinyNets.build(id, batch);
            Weights w = SyntheticWeights.of(g, seed);
            try (Tensor in = TestData.random(g.inputShape(), new SplittableRandom(seed));
                 Tensor ref = ReferenceExecutor.run(g, w, in)) {
                Compiled c = new Compiled(g, w);
                c = check(id + " foldBn", seed, FoldBatchNorm.apply(c), in, ref);
                assertEquals(0, c.graph().count(BatchNorm.class), id);
                c = check(id + " fuseAct", seed, FuseActivation.apply(c), in, ref);
                c = check(id + " fuseResidual", seed, FuseResidual.apply(c), in, ref);
                c = check(id + " fuseAct2", seed, FuseActivation.apply(c), in, ref);
                c = check(id + " inputBnRelu", seed, FuseInputBnRelu.apply(c), in, ref);
                c = check(id + " foldShuffle", seed, FoldShuffle.apply(c), in, ref);
                assertEquals(c.graph().toString(), Passes.all(g, w).graph().toString());
            }
        }
    }

    private static Compiled check(String what, long seed, Compiled c, Tensor in, Tensor ref) {
        try (Tensor got = ReferenceExecutor.run(c.graph(), c.weights(), in)) {
            Compare.close(what, seed, 1e-5, 1e-4, ref, got);
        }
        return c;
    }

    @Test
    void fusionsLandWhereExpected() {
        Graph g = TinyNets.build("resnext", 1);
        Graph c = Passes.all(g, SyntheticWeights.of(g, 1)).graph();
        assertEquals(0, c.count(Act.class) + c.count(Add.class) + c.count(BatchNorm.class), c.nodes().toString());
        long residualRelu = c.nodes().stream().filter(n -> n.op() instanceof Conv2d cv && cv.residual() && cv.act() == Activation.RELU).count();
        assertEquals(2, residualRelu);

        g = TinyNets.build("dense_chain", 1);
        c = Passes.all(g, SyntheticWeights.of(g, 1)).graph();
        // each dense layer's and the transition's BN-ReLU ride in their 1x1 conv; only the head's stays
        assertEquals(4, c.nodes().stream().filter(n -> n.op() instanceof Conv2d cv && cv.inputBnRelu()).count());
        assertEquals(1, c.count(ChannelAffine.class));
        assertEquals(0, c.count(Act.class));

        g = TinyNets.build("mbv2", 1);
        c = Passes.all(g, SyntheticWeights.of(g, 1)).graph();
        assertEquals(0, c.count(Add.class) + c.count(Act.class));

        g = TinyNets.build("shuffle_v2", 1);
        c = Passes.all(g, SyntheticWeights.of(g, 1)).graph();
        assertEquals(1, c.count(ChannelShuffle.class), "the shuffle before conv5 folds into its weights; the split one stays");

        g = TinyNets.build("shuffle_v1", 1);
        c = Passes.all(g, SyntheticWeights.of(g, 1)).graph();
        assertEquals(2, c.count(ChannelShuffle.class), "grouped neighbours keep their shuffles");
        assertEquals(1, c.count(Act.class), "the ReLU after the stride-2 concat stays");
    }
}
