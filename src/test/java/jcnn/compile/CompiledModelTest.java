package jcnn.compile;

import static org.junit.jupiter.api.Assertions.*;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import jcnn.graph.Graph;
import jcnn.graph.ReferenceExecutor;
import jcnn.graph.Weights;
import jcnn.tensor.Shape;
import jcnn.tensor.Tensor;
import jcnn.testing.Compare;
import jcnn.testing.TestData;
import org.junit.jupiter.api.Test;

/** The model's contract: any batch, output copies, zero-copy run, close, several threads at once. */
class CompiledModelTest {
    private static final Graph G = TinyNets.build("dense_chain", 1);
    private static final Weights W = SyntheticWeights.of(G, 7);

    private static Tensor reference(Tensor in) {
        return ReferenceExecutor.run(G.withInput(in.shape()), W, in);
    }

    @Test
    void anyBatchMatchesTheReference() {
        long seed = TestData.freshSeed();
        try (CompiledModel m = CompiledModel.compile(G, W)) {
            for (int batch : new int[] {2, 1, 5}) {
                try (Tensor in = TestData.random(G.inputShape().withN(batch), new SplittableRandom(seed + batch));
                     Tensor ref = reference(in); Tensor got = m.run(in)) {
                    Compare.close("batch " + batch, seed, 1e-4, 1e-3, ref, got);
                    assertTrue(got.ownsMemory(), "run(in) returns a copy the caller owns");
                }
            }
            assertThrows(IllegalArgumentException.class, () -> m.run(Tensor.allocate(Shape.nchw(1, 3, 10, 9))));
        }
    }

    @Test
    void closeFreesAndLaterUseThrows() {
        CompiledModel m = CompiledModel.compile(G, W);
        try (Tensor in = Tensor.allocate(G.inputShape()); Tensor out = Tensor.allocate(m.outputShape(1))) {
            m.run(in, out);
            m.close();
            m.close(); // idempotent
            assertThrows(IllegalStateException.class, () -> m.run(in, out));
            assertThrows(IllegalStateException.class, () -> m.run(in));
            assertThrows(IllegalStateException.class, () -> m.plan(1));
        }
    }

    @Test
    void concurrentRunsStayCorrect() throws Exception {
        long seed = TestData.freshSeed();
        int threads = 4, perThread = 3;
        List<Tensor> inputs = new ArrayList<>(), refs = new ArrayList<>();
        for (int i = 0; i < threads; i++) {
            inputs.add(TestData.random(G.inputShape().withN(1 + i % 2), new SplittableRandom(seed + i)));
            refs.add(reference(inputs.get(i)));
        }
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try (CompiledModel m = CompiledModel.compile(G, W)) {
            List<Future<?>> fs = new ArrayList<>();
            for (int i = 0; i < threads; i++) {
                int t = i;
                fs.add(pool.submit(() -> {
                    for (int r = 0; r < perThread; r++) {
                        try (Tensor got = m.run(inputs.get(t))) {
                            Compare.close("thread " + t + " run " + r, seed, 1e-4, 1e-3, refs.get(t), got);
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> f : fs) f.get();
        } finally {
            pool.shutdown();
            inputs.forEach(Tensor::close);
            refs.forEach(Tensor::close);
        }
    }
}
