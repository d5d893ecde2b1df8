package jcnn.compile;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import jcnn.graph.Graph;
import jcnn.models.Zoo;
import jcnn.tensor.Shape;
import jcnn.tensor.Tensor;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** {@link MemoryPlan#place} (what the device executor uses) names the same memory as {@link MemoryPlan#tensor} (the CPU's). */
class MemoryPlacesTest {
    @ParameterizedTest
    @ValueSource(strings = {"densenet121", "shufflenet_v2_x1_0", "squeezenet1_1"})
    void placesAreTheHostViews(String id) {
        Graph g0 = Zoo.build(id, Shape.nchw(2, 3, 32, 32));
        Graph g = Passes.all(g0, jcnn.models.Init.init(g0, 3)).graph();
        MemoryPlan mem = new MemoryPlan(g);
        try (Arena a = Arena.ofConfined()) {
            MemorySegment arena = a.allocate(mem.peakBytes(), Tensor.ALIGN);
            for (int i = -1; i < g.nodes().size(); i++) {
                int v = i < 0 ? Graph.INPUT : i;
                Tensor t = mem.tensor(arena, v);
                MemoryPlan.Place p = mem.place(v);
                assertEquals(t.segment().address() - arena.address(), p.byteOffset(), id + " value " + v);
                assertEquals(t.shape(), p.shape(), id + " value " + v);
                assertEquals(t.batchStride(), p.batchStride(), id + " value " + v);
            }
        }
    }
}
