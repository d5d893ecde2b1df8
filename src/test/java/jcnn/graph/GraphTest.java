package jcnn.graph;

import static org.junit.jupiter.api.Assertions.*;

import jcnn.tensor.Shape;
import jcnn.tensor.Tensor;
import org.junit.jupiter.api.Test;

class GraphTest {
    private static Graph tiny(Shape in) {
        var b = new GraphBuilder("tiny", in);
        int x = b.conv("conv1", b.input(), 4, 3, 2, 1);
        x = b.relu(b.bn("bn1", x));
        int y = b.maxPool(x, 3, 2, 1, false);
        return b.build(b.linear("fc", b.globalAvgPool(y), 5, true));
    }

    @Test
    void shapesParamsAndMacsFollowTheOps() {
        Graph g = tiny(Shape.nchw(1, 3, 9, 9));
        assertEquals(Shape.nchw(1, 4, 5, 5), g.node(0).shape());
        assertEquals(Shape.nchw(1, 4, 3, 3), g.node(3).shape());
        assertEquals(Shape.of(1, 5), g.outputShape());
        assertEquals(4 * 3 * 9 + 2 * 4 + 4 * 5 + 5, g.params());
        assertEquals(5L * 5 * 4 * 3 * 9 + 4 * 5, g.macs());
        Graph g2 = g.withInput(Shape.nchw(2, 3, 17, 17));
        assertEquals(Shape.nchw(2, 4, 9, 9), g2.node(0).shape());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> g.withInput(Shape.nchw(1, 5, 9, 9)));
        assertTrue(e.getMessage().contains("conv1") && e.getMessage().contains("5"), e.getMessage());
    }

    @Test
    void referenceExecutorRunsEveryNode() {
        Graph g = tiny(Shape.nchw(1, 3, 9, 9));
        Weights w = new Weights();
        g.weightShapes().forEach((k, s) -> {
            float[] v = new float[(int) s.size()];
            java.util.Arrays.fill(v, k.endsWith("running_var") ? 1f : k.endsWith("running_mean") ? 0f : 0.5f);
            w.put(k, s, v);
        });
        try (Tensor in = Tensor.allocate(Shape.nchw(1, 3, 9, 9)).fill(1f); Tensor out = ReferenceExecutor.run(g, w, in)) {
            // centre output of conv1: 27 taps * 0.5 + 0.5 bias-free = 13.5; BN: 13.5*0.5/sqrt(1+1e-5)+0.5
            assertEquals(Shape.of(1, 5), out.shape());
            assertTrue(Float.isFinite(out.get(0)) && out.get(0) > 0);
        }
        assertThrows(IllegalArgumentException.class, () -> new Weights().requireFor(g));
    }
}
