package jcnn.compile;

import static org.junit.jupiter.api.Assertions.*;

import java.util.SplittableRandom;
import jcnn.graph.Graph;
import jcnn.graph.ReferenceExecutor;
import jcnn.graph.Weights;
import jcnn.ops.Concat;
import jcnn.ops.Slice;
import jcnn.tensor.Tensor;
import jcnn.testing.Compare;
import jcnn.testing.TestData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The memory plan (concat in place, slice views, one liveness arena) and the executor, on the
 * reference backend so only the planning is under test: the plan's output, with the arena
 * poisoned with NaN before the run, matches the reference executor on the original graph.
 */
class PlanTest {
    static String[] nets() { return TinyNets.ALL; }

    @ParameterizedTest
    @MethodSource("nets")
    void plannedRunMatchesTheReference(String id) {
        long seed = TestData.freshSeed();
        for (int batch : new int[] {1, 2, 3}) {
            Graph g = TinyNets.build(id, batch);
            Weights w = SyntheticWeights.of(g, seed);
            Compiled c = Passes.all(g, w);
            try (var arena = java.lang.foreign.Arena.ofConfined();
                 Tensor in = TestData.random(g.inputShape(), new SplittableRandom(seed));
                 Tensor ref = ReferenceExecutor.run(g, w, in);
                 Tensor got = TestData.output(ref.shape());
                 Plan p = Plan.build(c.graph(), ReferenceBackend.INSTANCE, new NativeWeights(c.weights(), arena))) {
                p.poison();
                p.run(in, got);
                Compare.close(id + " batch " + batch, seed, 1e-5, 1e-4, ref, got);
                assertTrue(p.arenaBytes() < p.memory().totalBytes(), "liveness reuses memory: " + p.arenaBytes());
                p.poison(); // a second run must not depend on what the first left behind
                p.run(in, got);
                Compare.close(id + " batch " + batch + " rerun", seed, 1e-5, 1e-4, ref, got);
            }
        }
    }

    @Test
    void denseBlockConcatsAreInPlace() {
        for (String id : new String[] {"dense_chain", "dense_flat"}) {
            Graph g = Passes.all(TinyNets.build(id, 2), SyntheticWeights.of(TinyNets.build(id, 2), 1)).graph();
            MemoryPlan m = new MemoryPlan(g);
            g.nodes().stream().filter(n -> n.op() instanceof Concat).forEach(n -> assertTrue(m.isView(n.id()), id + ": " + n));
        }
    }

    @Test
    void slicesAreViewsAndShuffleV2ConcatCopiesOnlyThePassThroughHalf() {
        Graph g0 = TinyNets.build("shuffle_v2", 1);
        Graph g = Passes.all(g0, SyntheticWeights.of(g0, 1)).graph();
        MemoryPlan m = new MemoryPlan(g);
        g.nodes().stream().filter(n -> n.op() instanceof Slice).forEach(n -> assertTrue(m.isView(n.id())));
        var cats = g.nodes().stream().filter(n -> n.op() instanceof Concat).toList();
        assertEquals(2, cats.size());
        assertTrue(m.isView(cats.get(0).id()), "stride-2 unit: both branches write in place");
        assertFalse(m.inPlace(cats.get(1).id(), 0), "the pass-through half is a view of another buffer: copied");
        assertTrue(m.inPlace(cats.get(1).id(), 1));
    }
}
