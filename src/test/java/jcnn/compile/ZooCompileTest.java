package jcnn.compile;

import static org.junit.jupiter.api.Assertions.*;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.SplittableRandom;
import jcnn.graph.Graph;
import jcnn.graph.ReferenceExecutor;
import jcnn.graph.Weights;
import jcnn.models.Zoo;
import jcnn.tensor.Shape;
import jcnn.tensor.Tensor;
import jcnn.testing.Compare;
import jcnn.testing.TestData;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every family's default variant at 32x32, end to end: the compiled model on the CPU backend,
 * batch 1 and 2, against the reference executor on the original (uncompiled) graph; and the passes
 * alone (compiled graph under the reference executor) against the same reference.
 *
 * <p>Tolerance: the reference keeps float32 tensors between layers but accumulates in float64; the
 * compiled model folds BN into float32 weights and accumulates in float32, so each of the 30-120
 * layers adds a relative error of order 1e-7..1e-6 of its magnitude, and these compound. Logits
 * (about unit scale with {@link jcnn.models.Init}) are compared as
 * {@code |x - ref| <= 1e-4 * max|ref| + 1e-4 * |ref|}. Measured worst errors are 3e-7..9e-7 of
 * max|ref| on all seven nets, so the bound leaves a 100x margin for other seeds while a wrong index,
 * a missed channel or a wrong fusion (O(1) relative errors) fails by orders of magnitude.
 */
class ZooCompileTest {
    static String[] nets() {
        return new String[] {"densenet121", "resnext50_32x4d", "squeezenet1_1", "mobilenet_v1", "mobilenet_v2",
            "shufflenet_v1", "shufflenet_v2_x1_0", "shufflenet_v1:g=3,width=0.5,se=true"};
    }

    static void compareLogits(String what, long seed, Tensor ref, Tensor got) {
        double scale = 0;
        for (float v : ref.toArray()) scale = Math.max(scale, Math.abs(v));
        Compare.close(what, seed, 1e-4 * scale, 1e-4, ref, got);
    }

    @ParameterizedTest
    @MethodSource("nets")
    void compiledMatchesReferenceAt32(String id) {
        assumeTrue(Zoo.ids().contains(id.split(":")[0]), id + " is not in the zoo yet");
        long seed = TestData.freshSeed();
        Graph g2 = Zoo.build(id, Shape.nchw(2, 3, 32, 32));
        Graph g1 = g2.withInput(Shape.nchw(1, 3, 32, 32));
        Weights w = jcnn.models.Init.init(g2, seed);
        try (Tensor in2 = TestData.random(g2.inputShape(), new SplittableRandom(seed));
             Tensor in1 = Tensor.allocate(g1.inputShape());
             Tensor ref2 = ReferenceExecutor.run(g2, w, in2);
             CompiledModel m = CompiledModel.compile(g1, w)) {
            try (Tensor first = firstImage(in2)) { in1.copyFrom(first); }
            try (Tensor ref1 = firstImage(ref2); Tensor got1 = m.run(in1); Tensor got2 = m.run(in2)) {
                compareLogits(id + " batch 1", seed, ref1, got1);
                compareLogits(id + " batch 2", seed, ref2, got2);
            }
            Compiled c = Passes.all(g1, w);
            try (Tensor ref1 = firstImage(ref2); Tensor passes = ReferenceExecutor.run(c.graph(), c.weights(), in1)) {
                Compare.close(id + " passes only", seed, 1e-5 * maxAbs(ref1), 1e-4, ref1, passes);
            }
            assertTrue(m.plan(1).arenaBytes() < m.plan(1).memory().totalBytes());
        }
    }

    private static double maxAbs(Tensor t) {
        double s = 0;
        for (float v : t.toArray()) s = Math.max(s, Math.abs(v));
        return s;
    }

    /** Image 0 of a batch, as a new batch-1 tensor. */
    private static Tensor firstImage(Tensor t) {
        int[] d = t.shape().dims();
        d[0] = 1;
        Shape s = Shape.of(d);
        Tensor out = Tensor.allocate(s);
        float[] all = t.toArray();
        out.copyFrom(java.util.Arrays.copyOf(all, (int) s.size()));
        return out;
    }
}
