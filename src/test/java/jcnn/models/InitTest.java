package jcnn.models;

import static org.junit.jupiter.api.Assertions.*;

import java.util.SplittableRandom;
import java.util.concurrent.ForkJoinPool;
import jcnn.graph.Graph;
import jcnn.graph.Node;
import jcnn.graph.ReferenceExecutor;
import jcnn.graph.Weights;
import jcnn.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class InitTest {
    @Test
    void sameSeedSameBitsWhateverTheThreads() throws Exception {
        Graph g = Zoo.build("shufflenet_v2_x1_0", 32);
        Weights a = Init.init(g, 42);
        Weights one;
        ForkJoinPool single = new ForkJoinPool(1);
        try {
            one = single.submit(() -> Init.init(g, 42)).get();
        } finally {
            single.shutdown();
        }
        Weights other = Init.init(g, 43);
        a.requireFor(g);
        boolean anyDiffers = false;
        for (String k : g.weightShapes().keySet()) {
            assertArrayEquals(a.get(k), one.get(k), k);
            anyDiffers |= !java.util.Arrays.equals(a.get(k), other.get(k));
        }
        assertTrue(anyDiffers, "another seed gives other weights");
        // the weights do not depend on the input size the graph was built for
        Weights big = Init.init(Zoo.build("shufflenet_v2_x1_0"), 42);
        for (String k : g.weightShapes().keySet()) assertArrayEquals(a.get(k), big.get(k), k);
    }

    /** A pinned value: a change of the scheme (or of the RNG) shows up here, not silently in benchmarks. */
    @Test
    void keyedStreamsAreStable() {
        assertEquals(0xa430d84680aabd0bL, Init.fnv1a("hello"));  // FNV-1a 64 reference value
        Weights w = Init.init(Zoo.build("mobilenet_v2", 32), 7);
        float[] stem = w.get("features.0.0.weight");
        float bound = (float) (Math.sqrt(2.0 / 27) * Math.sqrt(3));
        for (float v : stem) assertTrue(Math.abs(v) <= bound);
        float[] var = w.get("features.0.1.running_var");
        for (float v : var) assertTrue(v > 0);
    }

    /**
     * Deep nets at 32x32 with the scalar reference: every layer's output finite, below 1e4 in magnitude
     * and not all zero, and the logits not all equal.
     */
    @ParameterizedTest
    @ValueSource(strings = {"densenet121", "resnext50_32x4d", "mobilenet_v2", "shufflenet_v2_x1_0", "squeezenet1_1", "shufflenet_v1:g=3,width=2.0,se=true"})
    void activationsStaySane(String id) {
        Graph g = Zoo.build(id, 32);
        Weights w = Init.init(g, 1);
        var rnd = new SplittableRandom(2024);
        float[] x = new float[3 * 32 * 32];
        for (int i = 0; i < x.length; i++) x[i] = (float) (rnd.nextDouble() * 2 * Math.sqrt(3) - Math.sqrt(3));  // unit variance
        Tensor[] outs = null;
        try (Tensor in = Tensor.copyOf(x, g.inputShape())) {
            outs = ReferenceExecutor.runAll(g, w, in);
            double maxAbs = 0, minRms = Double.MAX_VALUE, maxRms = 0;
            for (Node n : g.nodes()) {
                float[] v = outs[n.id()].toArray();
                double sq = 0, m = 0;
                for (float f : v) {
                    assertTrue(Float.isFinite(f), id + " " + n.name() + " not finite");
                    m = Math.max(m, Math.abs(f));
                    sq += (double) f * f;
                }
                assertTrue(m > 0, id + " " + n.name() + " is all zero");
                assertTrue(m < 1e4, id + " " + n.name() + " reaches " + m);
                double rms = Math.sqrt(sq / v.length);
                maxAbs = Math.max(maxAbs, m);
                minRms = Math.min(minRms, rms);
                maxRms = Math.max(maxRms, rms);
            }
            float[] logits = outs[g.outputId()].toArray();
            float lo = Float.MAX_VALUE, hi = -Float.MAX_VALUE;
            for (float f : logits) { lo = Math.min(lo, f); hi = Math.max(hi, f); }
            assertTrue(hi > lo, id + ": all logits equal");
            System.out.printf("init %-20s %4d nodes: max|x| %.3g, layer RMS %.3g .. %.3g, logits %.3g .. %.3g%n",
                id, g.nodes().size(), maxAbs, minRms, maxRms, lo, hi);
        } finally {
            if (outs != null) for (Tensor t : outs) if (t != null) t.close();
        }
    }
}
