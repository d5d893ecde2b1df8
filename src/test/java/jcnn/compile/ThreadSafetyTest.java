package jcnn.compile;

import static org.junit.jupiter.api.Assertions.*;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import jcnn.graph.Graph;
import jcnn.graph.ReferenceExecutor;
import jcnn.graph.Weights;
import jcnn.models.Zoo;
import jcnn.tensor.Shape;
import jcnn.tensor.Tensor;
import jcnn.testing.Compare;
import jcnn.testing.TestData;
import org.junit.jupiter.api.Test;

/**
 * The thread-safety contract of {@link CompiledModel}: one model shared by 8 threads gives, run
 * after run, the output the same input gives on one thread. Each thread has its own two inputs
 * (batch 1 and, for odd threads, batch 2, so a plan is built while other threads run); the
 * single-thread results are computed first on the same model, after a warm-up.
 *
 * <p>Bit for bit on every run, on both backends. (This test once found that the CPU kernels'
 * dot products ended in {@code FloatVector.reduceLanes(ADD)}, whose lane order the Vector API leaves
 * open: HotSpot's interpreter adds the lanes in sequence, C2 as a tree, so a run right after a
 * deoptimisation differed in the last bits. They now use {@code Vec.sum}, one fixed pairwise order.)
 * CI runs shufflenet_v2_x0_5 at 32x32 (~1 ms a run on the 2-core machine; 10,000 runs of
 * mobilenet_v2 take ~50 s there, beyond the CI budget). Any net:
 * {@code mvn -o test -Dtest=ThreadSafetyTest -Djcnn.threads.net=mobilenet_v2}.
 */
class ThreadSafetyTest {
    private static final String NET = System.getProperty("jcnn.threads.net", "shufflenet_v2_x0_5");
    private static final int THREADS = 8;

    @Test
    void cpuBackendEightThreadsTenThousandRuns() throws Exception {
        int[] differing = shared(Backends.cpu(), Integer.getInteger("jcnn.threads.runs", 10_000), 100);
        System.out.printf("thread-safety: %s 32x32 cpu backend, %d threads, %d runs: %d bit-identical%n",
            NET, THREADS, differing[0], differing[0] - differing[1]);
        assertEquals(0, differing[1], differing[1] + " of " + differing[0] + " runs not bit-identical to the single-thread output");
    }

    @Test
    void referenceBackendIsBitForBit() throws Exception {
        int[] differing = shared(Backends.reference(), 8 * 40, 1);
        assertEquals(0, differing[1], "runs of the reference backend that are not bit-identical");
    }

    /**
     * The same contract on the device executor (the CUDA emulator: runs serialised by the model's
     * lock, plans for batch 1 and 2 built while other threads run). A tiny ShuffleNet v2 graph: the
     * emulator runs shufflenet_v2_x0_5 at 32x32 in ~0.8 s. Every device allocation is freed on close.
     */
    @Test
    void deviceModelOnTheEmulatorEightThreads() throws Exception {
        jcnn.cuda.EmuDevice emu = new jcnn.cuda.EmuDevice();
        int before = emu.liveAllocations();
        Graph g = TinyNets.build("shuffle_v2", 1);
        int[] differing = shared(g, (gg, w) -> jcnn.cuda.DeviceModel.compile(gg, w, emu), 8 * 50, 1);
        System.out.printf("thread-safety: tiny shuffle_v2 on the emulator, %d threads, %d runs: %d bit-identical%n",
            THREADS, differing[0], differing[0] - differing[1]);
        assertEquals(0, differing[1], differing[1] + " of " + differing[0] + " emulator runs not bit-identical to the single-thread output");
        assertEquals(before, emu.liveAllocations(), "device allocations left after close");
    }

    private static int[] shared(Backend backend, int total, int warmup) throws Exception {
        return shared(Zoo.build(NET, Shape.nchw(1, 3, 32, 32)), (g, w) -> CompiledModel.compile(g, w, backend), total, warmup);
    }

    /** Runs {@code total} runs on 8 threads; returns {runs, runs not bit-identical (but within 1e-4)}. */
    private static int[] shared(Graph g, java.util.function.BiFunction<Graph, Weights, Model> compile, int total, int warmup) throws Exception {
        int perThread = total / THREADS;
        long seed = TestData.freshSeed();
        Weights w = SyntheticWeights.of(g, seed);
        String name = g.name();
        List<Tensor> inputs = new ArrayList<>(), expected = new ArrayList<>();
        ExecutorService pool = Executors.newFixedThreadPool(THREADS);
        try (Model m = compile.apply(g, w)) {
            for (int t = 0; t < THREADS; t++) {
                for (int k = 0; k < 2; k++) {
                    int batch = k == 1 && t % 2 == 1 ? 2 : 1;
                    inputs.add(TestData.random(g.inputShape().withN(batch), new SplittableRandom(seed + 2 * t + k)));
                }
            }
            for (int r = 0; r < warmup; r++) for (Tensor in : inputs) m.run(in).close();
            for (Tensor in : inputs) expected.add(m.run(in)); // the single-thread results on this very model
            Tensor last = inputs.get(inputs.size() - 1);
            try (Tensor ref = ReferenceExecutor.run(g.withInput(last.shape()), w, last)) {
                Compare.close(name + " single-thread vs reference", seed, 1e-3, 1e-3, ref, expected.get(expected.size() - 1));
            }
            CountDownLatch start = new CountDownLatch(1);
            List<Future<int[]>> fs = new ArrayList<>();
            for (int t = 0; t < THREADS; t++) {
                int id = t;
                fs.add(pool.submit(() -> {
                    Tensor[] out = {Tensor.allocate(expected.get(2 * id).shape()), Tensor.allocate(expected.get(2 * id + 1).shape())};
                    int runs = 0, inexact = 0;
                    try {
                        start.await();
                        for (int r = 0; r < perThread; r++) {
                            int k = r & 1;
                            Tensor want = expected.get(2 * id + k);
                            m.run(inputs.get(2 * id + k), out[k]);
                            runs++;
                            if (out[k].segment().mismatch(want.segment()) >= 0) {
                                inexact++;
                                Compare.close("thread " + id + " run " + r, seed, 1e-4, 1e-4, want, out[k]);
                            }
                        }
                        return new int[] {runs, inexact};
                    } finally {
                        out[0].close();
                        out[1].close();
                    }
                }));
            }
            start.countDown();
            int[] sum = new int[2];
            for (Future<int[]> f : fs) {
                int[] r = f.get();
                sum[0] += r[0];
                sum[1] += r[1];
            }
            assertEquals(perThread * THREADS, sum[0]);
            return sum;
        } finally {
            pool.shutdown();
            inputs.forEach(Tensor::close);
            expected.forEach(Tensor::close);
        }
    }
}
